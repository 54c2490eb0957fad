package io.cimle.cli;

import io.cimle.core.data.ToyScenes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "toy-scenes", mixinStandardHelpOptions = true,
        description = "Writes synthetic multimodal street scenes as paired folders (labels/, images/, classes.json,"
                + " modes.csv).")
final class ToyScenesCommand implements Callable<Integer> {
    @Mixin
    SceneSetOptions scenes;
    @Option(names = "--variant", defaultValue = "classic", description = "classic (time of day x car colour x "
            + "building hue, 27 modes), regions (sky weather 3 x vegetation season 3 x car colour 4, independent "
            + "per-region factors, 36 modes), regions4 (regions x building hue 3, 108 modes), instances (sky and "
            + "vegetation scene-wide; each car its own colour, each building block its own hue; instance maps in "
            + "instances/ for eval) or long-tail (instances at unequal frequencies: five paints .50/.25/.13/.08/.04, "
            + "1-4 cars, facades .60/.30/.10 with windows, sky .70/.22/.08) (default ${DEFAULT-VALUE}).")
    String variant;

    record Result(Path out, int scenes, int width, int height) {
    }

    @Override
    public Integer call() {
        Result r = run();
        System.out.printf("wrote %d toy scenes of %dx%d to %s%n", r.scenes(), r.width(), r.height(), r.out());
        return 0;
    }

    Result run() {
        if (scenes.n < 1) {
            throw new IllegalArgumentException("-n must be >= 1, got " + scenes.n);
        }
        int[] wh = scenes.widthHeight();
        ToyScenes.writeFolders(scenes.out, scenes.n, scenes.seed, wh[0], wh[1], ToyScenes.Variant.byName(variant));
        return new Result(scenes.out, scenes.n, wh[0], wh[1]);
    }
}
