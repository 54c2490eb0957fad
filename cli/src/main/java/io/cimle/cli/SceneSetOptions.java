package io.cimle.cli;

import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options of a command that writes a set of scenes (a picocli mixin): where, how many, how large, which seed. */
final class SceneSetOptions {
    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;
    @Option(names = "-n", required = true, description = "Number of scenes.")
    int n;
    @Option(names = "--size", defaultValue = "64x32", description = "WIDTHxHEIGHT (default ${DEFAULT-VALUE}).")
    String size;
    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    /** {@code --size} as {width, height}. */
    int[] widthHeight() {
        return parseSize(size);
    }

    static int[] parseSize(String size) {
        String[] parts = size.toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
            throw new IllegalArgumentException("--size must be WIDTHxHEIGHT such as 64x32, got '" + size + "'");
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }
}
