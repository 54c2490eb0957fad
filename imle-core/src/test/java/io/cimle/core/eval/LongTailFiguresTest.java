package io.cimle.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.ToyScenes.Instances;
import io.cimle.core.data.ToyScenes.Mode;
import io.cimle.core.data.ToyScenes.Scene;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The long-tail scenes draw their appearances at the stated frequencies, and the evaluation reads them: the photos
 * themselves read as their truth, a sampler that draws every instance at the data's frequencies passes, and a
 * sampler that ties a class's instances together, or one that always draws the most frequent look, fails.
 */
class LongTailFiguresTest {
    private static final ToyScenes.Variant LONG_TAIL = ToyScenes.Variant.LONG_TAIL;
    private static final int SAMPLES = 20;

    @Test
    void scenesDrawEveryAppearanceAtItsFrequency() {
        List<Scene> scenes = ToyModeData.scenes(64, 32, 3000, 11, LONG_TAIL);
        for (int cls : LONG_TAIL.instanceClasses()) {
            double[] data = LONG_TAIL.instanceFrequencies(cls);
            double[] seen = new double[data.length];
            int total = 0;
            for (Scene s : scenes) {
                for (int k = 0; k < s.instances().count(); k++) {
                    if (s.instances().classOf()[k] == cls) {
                        seen[s.instances().value()[k]]++;
                        total++;
                    }
                }
            }
            for (int v = 0; v < data.length; v++) {
                assertEquals(data[v], seen[v] / total, 0.02, "class " + cls + " look " + v);
            }
        }
        double[] sky = new double[3];
        int[] carsPerPhoto = new int[6];
        for (Scene s : scenes) {
            sky[s.mode().skyWeather()] += 1.0 / scenes.size();
            carsPerPhoto[(int) java.util.Arrays.stream(s.instances().classOf()).filter(c -> c == ToyScenes.CAR).count()]++;
        }
        double[] skyData = LONG_TAIL.skyFrequencies();
        for (int w = 0; w < 3; w++) {
            assertEquals(skyData[w], sky[w], 0.03, "sky " + w);
        }
        for (int c = 1; c <= 4; c++) {
            assertTrue(carsPerPhoto[c] > scenes.size() / 10, c + " cars in " + carsPerPhoto[c] + " photos");
        }
        assertEquals(0, carsPerPhoto[0] + carsPerPhoto[5], "every photo has 1-4 cars");
    }

    @Test
    void thePhotosReadAsTheirTruth() {
        List<Scene> held = ToyModeData.scenes(64, 32, 30, 2, LONG_TAIL);
        int right = 0;
        int read = 0;
        for (Scene s : held) {
            Instances inst = s.instances();
            for (int k = 0; k < inst.count(); k++) {
                double[] mean = meanOf(inst, k, s.photo());
                int cls = inst.classOf()[k];
                right += io.cimle.core.data.ModeReader.readInstance(cls, mean, ToyScenes.TimeOfDay.DAY,
                        LONG_TAIL.instanceValues(cls)).prototype() == inst.value()[k] ? 1 : 0;
                read++;
            }
        }
        assertTrue(right >= 0.95 * read, right + " of " + read + " instances read right");
        LongTailFigures.Result photos = figures(held, held.stream().map(s -> List.of(s.photo(), s.photo())).toList());
        assertTrue(photos.windows() >= 0.95, "windows " + photos.windows());
    }

    @Test
    void aSamplerAtTheDatasFrequenciesPasses() {
        List<Scene> held = ToyModeData.scenes(64, 32, 30, 2, LONG_TAIL);
        SplittableRandom rnd = new SplittableRandom(5);
        List<List<RgbImage>> samples = held.stream().map(s -> draws(s, rnd, false)).toList();
        LongTailFigures.Result r = figures(held, samples);
        r.factors().values().forEach(f -> {
            assertTrue(f.tv() <= 0.1, f.name() + " TV " + f.tv());
            assertTrue(f.minRatio(0.03) >= 0.5, f.name() + " least ratio " + f.minRatio(0.03));
            assertTrue(f.coverage() >= f.ceiling() - 0.06, f.name() + " coverage " + f.coverage() + " ceiling "
                    + f.ceiling());
            assertTrue(f.faithful() >= 0.95, f.name() + " faithful " + f.faithful());
        });
        assertTrue(r.windows() >= 0.95, "windows " + r.windows());
        ModeCoverage.Result m = coverage(held, samples);
        m.independence().forEach((c, v) -> assertTrue(v >= 0.85, c + " mixed " + v));
        assertTrue(m.regionFidelity() >= 0.95, "fidelity " + m.regionFidelity());
        assertTrue(m.minFactorCoverage() >= 0.85, "scene-wide " + m.factorCoverage());
    }

    @Test
    void aTiedSamplerAndAModeSamplerFail() {
        List<Scene> held = ToyModeData.scenes(64, 32, 30, 2, LONG_TAIL);
        SplittableRandom rnd = new SplittableRandom(5);
        List<List<RgbImage>> tied = held.stream().map(s -> draws(s, rnd, true)).toList();
        assertTrue(coverage(held, tied).independence().get("car") < 0.3, "tied cars mixed");
        // Every sample the most frequent look of everything: the long tail dropped.
        List<List<RgbImage>> modal = held.stream().map(s -> Collections.nCopies(SAMPLES, paint(s, 0, 0, 0,
                rnd.nextLong()))).toList();
        LongTailFigures.Result r = figures(held, modal);
        r.factors().values().forEach(f -> {
            assertEquals(0, f.rarestRatio(), f.name() + " rarest");
            assertTrue(f.tv() >= 0.3, f.name() + " TV " + f.tv());
        });
    }

    private static LongTailFigures.Result figures(List<Scene> held, List<List<RgbImage>> samples) {
        return new LongTailFigures(LONG_TAIL, 20.0).measure(held.stream().map(Scene::layout).toList(),
                held.stream().map(Scene::instances).toList(), samples, List.of());
    }

    private static ModeCoverage.Result coverage(List<Scene> held, List<List<RgbImage>> samples) {
        return new ModeCoverage(new HashSet<>(LONG_TAIL.modes()), 20.0, LONG_TAIL).measure(
                held.stream().map(Scene::layout).toList(), held.stream().map(Scene::instances).toList(), samples);
    }

    /** Samples of a layout: every instance (or, tied, every instance of a class together) drawn at the data's rates. */
    private static List<RgbImage> draws(Scene s, SplittableRandom rnd, boolean tied) {
        List<RgbImage> out = new ArrayList<>();
        for (int j = 0; j < SAMPLES; j++) {
            Instances inst = s.instances();
            int[] value = new int[inst.count()];
            int car = ToyScenes.draw(rnd, LONG_TAIL.instanceFrequencies(ToyScenes.CAR));
            int building = ToyScenes.draw(rnd, LONG_TAIL.instanceFrequencies(ToyScenes.BUILDING));
            for (int k = 0; k < value.length; k++) {
                int cls = inst.classOf()[k];
                value[k] = tied ? (cls == ToyScenes.CAR ? car : building) : ToyScenes.draw(rnd, LONG_TAIL.instanceFrequencies(cls));
            }
            Mode mode = new Mode(ToyScenes.TimeOfDay.DAY, 0, 0, ToyScenes.draw(rnd, LONG_TAIL.skyFrequencies()), rnd.nextInt(3));
            out.add(ToyScenes.render(s.layout(), mode, new Instances(inst.instanceAt(), inst.classOf(), value),
                    rnd.nextLong(), true));
        }
        return out;
    }

    private static RgbImage paint(Scene s, int car, int building, int sky, long seed) {
        Instances inst = s.instances();
        int[] value = new int[inst.count()];
        for (int k = 0; k < value.length; k++) {
            value[k] = inst.classOf()[k] == ToyScenes.CAR ? car : building;
        }
        return ToyScenes.render(s.layout(), new Mode(ToyScenes.TimeOfDay.DAY, 0, 0, sky, 0),
                new Instances(inst.instanceAt(), inst.classOf(), value), seed, true);
    }

    private static double[] meanOf(Instances inst, int k, RgbImage image) {
        double[] sum = new double[3];
        int n = 0;
        for (int p = 0; p < inst.instanceAt().length; p++) {
            if (inst.instanceAt()[p] == k) {
                for (int c = 0; c < 3; c++) {
                    sum[c] += image.rgb()[3 * p + c] & 0xff;
                }
                n++;
            }
        }
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }
}
