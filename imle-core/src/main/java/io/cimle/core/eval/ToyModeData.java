package io.cimle.core.eval;

import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.ToyScenes.Mode;
import io.cimle.core.data.ToyScenes.Scene;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Toy scenes drawn from a chosen subset of modes (e.g. only the three times of day), for
 * experiments small enough to run in a test. Deterministic from the seed.
 */
public final class ToyModeData {
    private ToyModeData() {
    }

    public static List<Scene> scenes(int width, int height, int n, long seed, List<Mode> modes) {
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("no modes to draw from");
        }
        ToyScenes toy = new ToyScenes(width, height);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Scene> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            var layout = toy.layout(rnd);
            Mode mode = modes.get(rnd.nextInt(modes.size()));
            out.add(new Scene(String.format("toy_%05d", i), layout, ToyScenes.render(layout, mode, rnd.nextLong()),
                    mode));
        }
        return out;
    }

    /**
     * Scenes of a variant: for an instance variant ({@link ToyScenes.Variant#hasInstances()}) streets whose cars and
     * building blocks each draw their own appearance (with their instances), else {@link #scenes} of the variant's
     * modes.
     */
    public static List<Scene> scenes(int width, int height, int n, long seed, ToyScenes.Variant variant) {
        if (!variant.hasInstances()) {
            return scenes(width, height, n, seed, variant.modes());
        }
        ToyScenes toy = new ToyScenes(width, height);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Scene> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(toy.sampleInstances(rnd, String.format("toy_%05d", i), variant));
        }
        return out;
    }

    /** The three times of day with the first car colour and building hue. */
    public static List<Mode> timesOfDay() {
        return timesOfDay(0);
    }

    /** The three times of day x the given car colours (first building hue), time of day outermost. */
    public static List<Mode> timesOfDay(int... carColours) {
        List<Mode> out = new ArrayList<>();
        for (ToyScenes.TimeOfDay t : ToyScenes.TimeOfDay.values()) {
            for (int car : carColours) {
                out.add(new Mode(t, car, 0));
            }
        }
        return out;
    }
}
