package io.cimle.cli;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Images;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.Sampler;
import io.cimle.core.model.Samples;
import io.cimle.core.training.StyleSearch;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.PyramidL1Distance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Synthesises n photos for a layout, or for every layout PNG in a folder (one model load); "
                + "writes sample_NNN.png and sample_NNN.code.json, in a sub-folder per layout for a folder.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;
    @Option(names = "--layout", required = true, description = "Layout PNG of class ids (void = 255), or a folder of them.")
    Path layout;
    @Option(names = "-n", defaultValue = "9", description = "Number of samples (default ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of the codes (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--code", description = "Code JSON (or a seed) to use for every sample instead of random codes.")
    String code;
    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;
    @Option(names = "--style-layout", description = "Style from a reference: its layout PNG (class ids); with "
            + "--style-photo the n codes whose samples of it come nearest the photo are used (nearest first).")
    Path styleLayout;
    @Option(names = "--style-photo", description = "The reference photo (PNG or JPEG, its layout's size).")
    Path stylePhoto;
    @Option(names = "--style-candidates", defaultValue = "" + StyleSearch.DEFAULT_CANDIDATES,
            description = "Codes searched for the reference's style (default ${DEFAULT-VALUE}).")
    int styleCandidates;

    record Result(List<Path> images, List<Path> codes) {
    }

    @Override
    public Integer call() throws Exception {
        Result r = run();
        System.out.printf("wrote %d samples to %s%n", r.images().size(), out);
        return 0;
    }

    Result run() throws Exception {
        if (n < 1) {
            throw new IllegalArgumentException("-n must be >= 1, got " + n);
        }
        Checkpoint cp = model.readCheckpoint();
        List<Path> layouts = layoutFiles();
        List<Path> images = new ArrayList<>();
        List<Path> codes = new ArrayList<>();
        try (Sampler sampler = model.sampler(cp, Sampler.DEFAULT_MAX_BATCH)) {
            List<LatentCode> fixed = code != null
                    ? Collections.nCopies(n, CliSupport.readCode(code, LatentCodes.shapeFor(sampler.config())))
                    : styleLayout != null || stylePhoto != null ? styleCodes(sampler, cp) : null;
            for (Path file : layouts) {
                ClassMap map = CliSupport.readLayout(file, CliSupport.labelSet(cp));
                Samples samples = fixed == null ? sampler.generate(map, n, seed) : sampler.generate(map, fixed);
                Path where = Files.isDirectory(layout) ? out.resolve(stem(file)) : out;
                Result r = write(where, "sample", samples);
                images.addAll(r.images());
                codes.addAll(r.codes());
            }
        }
        return new Result(images, codes);
    }

    /** The n codes nearest the reference photo's style (see StyleSearch). */
    private List<LatentCode> styleCodes(Sampler sampler, Checkpoint cp) throws IOException {
        if (styleLayout == null || stylePhoto == null) {
            throw new IllegalArgumentException("--style-layout and --style-photo go together");
        }
        ClassMap referenceLayout = CliSupport.readLayout(styleLayout, CliSupport.labelSet(cp));
        RgbImage photo = Images.decode(Files.readAllBytes(stylePhoto));
        if (photo.width() != referenceLayout.width() || photo.height() != referenceLayout.height()) {
            photo = Images.resize(photo, referenceLayout.width(), referenceLayout.height());
        }
        try (Distance distance = PyramidL1Distance.defaults()) {
            return new StyleSearch(sampler.network(), distance, Sampler.DEFAULT_MAX_BATCH, sampler.bank())
                    .nearest(referenceLayout, photo, styleCandidates, seed, n).stream().map(StyleSearch.Found::code)
                    .toList();
        }
    }

    /** The one layout, or every .png of the folder in name order. */
    private List<Path> layoutFiles() throws IOException {
        if (!Files.isDirectory(layout)) {
            return List.of(layout);
        }
        try (Stream<Path> files = Files.list(layout)) {
            List<Path> pngs = files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
                    .sorted().toList();
            if (pngs.isEmpty()) {
                throw new IllegalArgumentException("layout folder " + layout + " holds no .png files");
            }
            return pngs;
        }
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    static Result write(Path out, String prefix, Samples samples) throws Exception {
        Files.createDirectories(out);
        List<Path> images = new ArrayList<>();
        List<Path> codes = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            String name = String.format("%s_%03d", prefix, i);
            Path png = out.resolve(name + ".png");
            Files.write(png, Images.encodePng(samples.images().get(i)));
            Path json = out.resolve(name + ".code.json");
            LatentCode c = samples.codes().get(i);
            Files.writeString(json, CliSupport.codeJson(c));
            images.add(png);
            codes.add(json);
        }
        return new Result(images, codes);
    }
}
