package io.cimle.cli;

import io.cimle.core.data.LabelSets;
import io.cimle.core.data.RenderedScenes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cimle render-scenes}: rendered street scenes with Blender's Cycles (the script ships in this jar,
 * {@value #SCRIPT}), split over processes by scene index; each scene is drawn from its own seed, so the split does
 * not change what is rendered.
 */
@Command(name = "render-scenes", mixinStandardHelpOptions = true,
        description = "Renders street scenes with Blender (Cycles on the CPU): paired folders with Cityscapes "
                + "train-id labels, instance maps, each photo's factors (light, season, each car's paint, each "
                + "building's facade) and, with --held-out, the same geometry in every appearance for evaluation. "
                + "Needs Blender (apt-get install blender).")
final class RenderScenesCommand implements Callable<Integer> {
    static final String SCRIPT = "render/render_streets.py";

    @Mixin
    SceneSetOptions scenes;
    @Option(names = "--held-out", description = "Also render every scene's geometry under every light and "
            + "appearance (appearances/NAME/), what `eval` and `bench toy --scenes rendered` read samples against.")
    boolean heldOut;
    @Option(names = "--samples", description = "Cycles samples per pixel (default: the script's).")
    Integer samples;
    @Option(names = "--processes", defaultValue = "1", description = "Blender processes at once (default "
            + "${DEFAULT-VALUE}; each uses every core, so more help only where cores idle).")
    int processes;
    @Option(names = "--blender", defaultValue = "blender", description = "The Blender executable "
            + "(default ${DEFAULT-VALUE}).")
    String blender;

    @Override
    public Integer call() throws Exception {
        if (scenes.n < 1 || processes < 1) {
            throw new IllegalArgumentException("-n and --processes must be >= 1, got " + scenes.n + ", " + processes);
        }
        int[] wh = scenes.widthHeight();
        Path script = extractScript();
        long start = System.nanoTime();
        List<Process> running = new ArrayList<>();
        int per = (scenes.n + processes - 1) / processes;
        for (int first = 0; first < scenes.n; first += per) {
            running.add(start(script, first, Math.min(per, scenes.n - first), wh));
        }
        for (Process p : running) {
            if (p.waitFor() != 0) {
                running.forEach(Process::destroy);
                throw new IllegalStateException("Blender exited with " + p.exitValue() + " (its output is above)");
            }
        }
        Files.deleteIfExists(script);
        Files.writeString(scenes.out.resolve("classes.json"), LabelSets.CITYSCAPES.toJson(), StandardCharsets.UTF_8);
        RenderedScenes set = RenderedScenes.open(scenes.out, Integer.MAX_VALUE); // reads back every pair, map and factor
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("wrote %d rendered scenes of %dx%d to %s in %.0f s (%.2f s a scene%s)%n",
                set.scenes().size(), wh[0], wh[1], scenes.out, seconds, seconds / scenes.n,
                heldOut ? ", with " + set.factor("light").size() * set.appearanceCount() + " appearance renders each"
                        : "");
        return 0;
    }

    private Process start(Path script, int first, int count, int[] wh) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(blender, "-b", "--factory-startup", "-noaudio", "-P",
                script.toString(), "--", "--out", scenes.out.toAbsolutePath().toString(), "-n", Integer.toString(count),
                "--start", Integer.toString(first), "--size", wh[0] + "x" + wh[1], "--seed", Long.toString(scenes.seed)));
        if (heldOut) {
            cmd.add("--held-out");
        }
        if (samples != null) {
            cmd.add("--samples");
            cmd.add(samples.toString());
        }
        try {
            return new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Blender ('" + blender + "'): install it with "
                    + "`apt-get install -y --no-install-recommends blender` or pass --blender PATH", e);
        }
    }

    private static Path extractScript() throws IOException {
        Path tmp = Files.createTempFile("cimle-render-", ".py");
        try (InputStream in = RenderScenesCommand.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the render script " + SCRIPT + " is missing from the cli jar");
            }
            Files.write(tmp, in.readAllBytes());
        }
        return tmp;
    }
}
