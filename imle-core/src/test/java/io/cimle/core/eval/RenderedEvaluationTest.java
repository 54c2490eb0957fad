package io.cimle.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.data.RenderedScenes;
import io.cimle.core.data.RenderedScenes.Factor;
import io.cimle.core.data.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rendered evaluation on the committed held-out streets: the reading recovers the real renders' factors, a
 * sampler that draws every look at the data's frequencies passes, and a mean sampler and a tied one fail.
 */
class RenderedEvaluationTest {
    private static final int SAMPLES = 20;
    private static RenderedEvaluation eval;

    @BeforeAll
    static void open() {
        eval = new RenderedEvaluation(RenderedScenes.open(heldOut(), Integer.MAX_VALUE),
                RenderedEvaluation.DEFAULT_THRESHOLD);
    }

    /** The committed 64x32 held-out set, found from the module's folder. */
    static Path heldOut() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("data/rendered-streets/64x32/held-out");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("data/rendered-streets/64x32/held-out not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void theReadingRecoversTheRealRendersFactors() {
        double truth = eval.truth();
        assertTrue(truth >= 0.95, "truth " + truth);
    }

    @Test
    void aSamplerDrawingEveryLookAtTheDatasFrequenciesPasses() {
        SplittableRandom rnd = new SplittableRandom(7);
        List<List<RgbImage>> samples = new ArrayList<>();
        for (RenderedReader r : eval.readers()) {
            List<RgbImage> s = new ArrayList<>();
            for (int j = 0; j < SAMPLES; j++) {
                s.add(composite(r, rnd));
            }
            samples.add(s);
        }
        RenderedEvaluation.Report report = eval.measure("ideal", samples, List.of(), null, 1);
        report.factors().values().forEach(f -> {
            assertTrue(f.coverage() >= f.ceiling() - 0.06, f.name() + " coverage " + f.coverage() + " ceiling "
                    + f.ceiling());
            assertTrue(f.tv() <= 0.1, f.name() + " TV " + f.tv());
        });
        report.mixedApart().forEach((c, v) -> assertTrue(v >= 0.85, c + " mixed apart " + v));
        // Split by size, every cell with pairs in it is independent too (small cars are read right).
        assertTrue(report.mixedBySize().keySet().containsAll(List.of("paint", "facade")), report.markdown());
        report.mixedBySize().forEach((c, v) -> {
            double[] cells = {v.apartLarge(), v.apartSmall(), v.touchingLarge(), v.touchingSmall()};
            for (int k = 0; k < 4; k++) {
                assertTrue(v.pairs()[k] < 10 || cells[k] >= 0.7, c + " cell " + k + ": " + report.markdown());
            }
        });
        assertTrue(report.mixedBySize().get("paint").pairs()[1] >= 10, "small cars are in the set: " + report.markdown());
        assertTrue(report.coherence() >= 0.95, "coherence " + report.coherence());
        assertTrue(report.fidelity() >= 0.95, "fidelity " + report.fidelity());
        // The breakdown: every kind on its render, its mean colour the render's.
        assertTrue(report.fidelityByKind().keySet().containsAll(List.of("sky", "paint")), report.markdown());
        report.fidelityByKind().forEach((kind, v) -> {
            assertTrue(v.withinThreshold() >= 0.9 && v.withinThresholdAnyLight() >= 0.9, kind + " " + v);
            assertTrue(v.medianColourDistance() <= v.medianDistance() + 1e-9,
                    kind + ": the mean colours' distance is at most the distance");
        });
    }

    @Test
    void aMeanSamplerFails() {
        List<List<RgbImage>> samples = new ArrayList<>();
        for (RenderedReader r : eval.readers()) {
            samples.add(Collections.nCopies(SAMPLES, mean(r)));
        }
        RenderedEvaluation.Report report = eval.measure("mean", samples, List.of(), null, 1);
        assertTrue(report.factors().get("light").coverage() <= 0.3, report.markdownRow());
        assertTrue(report.minCoverage() < 0.5, report.markdownRow());
        assertTrue(report.fidelity() < 0.6, report.markdownRow());
        // A blend of every light and look: its paint is far from the picture light's renders in colour as well as
        // per pixel, and some cars read nearer a render under another light (the blend of lights is one of them).
        RenderedEvaluation.KindFidelity paint = report.fidelityByKind().get("paint");
        assertTrue(paint.withinThreshold() < 0.5 && paint.medianColourDistance() > 12
                && paint.withinThresholdAnyLight() > paint.withinThreshold(), paint.toString());
    }

    @Test
    void aTiedSamplerFailsIndependence() {
        SplittableRandom rnd = new SplittableRandom(8);
        Factor light = eval.set().factor("light");
        Factor paint = eval.set().factor("paint");
        List<List<RgbImage>> samples = new ArrayList<>();
        for (RenderedReader r : eval.readers()) {
            List<RgbImage> s = new ArrayList<>();
            for (int j = 0; j < SAMPLES; j++) {
                s.add(r.render(draw(light.frequencies(), rnd), draw(paint.frequencies(), rnd)));
            }
            samples.add(s);
        }
        RenderedEvaluation.Report report = eval.measure("tied", samples, List.of(), null, 1);
        assertTrue(report.mixedApart().get("paint") < 0.3, report.markdownRow());
        RenderedEvaluation.MixedBySize paintBySize = report.mixedBySize().get("paint");
        assertTrue(paintBySize.apartLarge() < 0.3 && paintBySize.apartSmall() < 0.3, report.markdown());
        assertTrue(report.fidelity() >= 0.95, "a tied sampler's pictures are real renders: " + report.markdownRow());
    }

    @Test
    void theIdealSamplersLooksAreReadBackExactly() {
        SplittableRandom rnd = new SplittableRandom(9);
        RenderedReader r = eval.readers().get(0);
        int[] chosen = new int[r.instances() + 2];
        RgbImage picture = composite(r, rnd, chosen);
        RenderedReader.Reading read = r.read(picture);
        assertEquals(chosen[0], read.light());
        for (int k = 0; k < r.instances(); k++) {
            if (r.pixelsOf(k).length > 0) {
                assertEquals(chosen[k + 2], read.instanceValues()[k], "instance " + k);
            }
        }
    }

    private static RgbImage composite(RenderedReader r, SplittableRandom rnd) {
        return composite(r, rnd, new int[r.instances() + 2]);
    }

    /** The scene under one light, its season and each instance's look drawn at the data's frequencies, pasted. */
    private static RgbImage composite(RenderedReader r, SplittableRandom rnd, int[] chosen) {
        RenderedScenes set = eval.set();
        int light = draw(set.factor("light").frequencies(), rnd);
        int season = draw(set.factor("season").frequencies(), rnd);
        chosen[0] = light;
        chosen[1] = season;
        byte[] rgb = r.render(light, season).rgb().clone();
        var inst = r.scene().instances();
        for (int k = 0; k < r.instances(); k++) {
            Factor f = set.instanceFactor(inst.classOf()[k]);
            int v = f == null ? 0 : draw(f.frequencies(), rnd);
            chosen[k + 2] = v;
            byte[] src = r.render(light, v).rgb();
            for (int p : r.pixelsOf(k)) {
                System.arraycopy(src, 3 * p, rgb, 3 * p, 3);
            }
        }
        RgbImage s = r.scene().photo();
        return new RgbImage(s.width(), s.height(), rgb);
    }

    /** The per-pixel mean of every render of the scene, lights weighted by their frequencies. */
    private static RgbImage mean(RenderedReader r) {
        double[] p = eval.set().factor("light").frequencies();
        int looks = eval.set().appearanceCount();
        RgbImage first = r.render(0, 0);
        double[] sum = new double[first.rgb().length];
        for (int l = 0; l < r.lights(); l++) {
            for (int a = 0; a < looks; a++) {
                byte[] src = r.render(l, a).rgb();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += p[l] / looks * (src[i] & 0xff);
                }
            }
        }
        byte[] out = new byte[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.round(sum[i]);
        }
        return new RgbImage(first.width(), first.height(), out);
    }

    private static int draw(double[] p, SplittableRandom rnd) {
        double u = rnd.nextDouble() * Arrays.stream(p).sum();
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return p.length - 1;
    }
}
