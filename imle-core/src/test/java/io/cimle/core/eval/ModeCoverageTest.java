package io.cimle.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.ToyScenes.Mode;
import io.cimle.core.data.ToyScenes.Scene;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModeCoverageTest {
    private final List<Mode> modes = ToyModeData.timesOfDay();
    private final ModeCoverage coverage = new ModeCoverage(new HashSet<>(modes), 20.0);
    private final ClassMap layout = ToyModeData.scenes(32, 16, 1, 4, modes).get(0).layout();

    @Test
    void renderingsOfEveryModeCoverAllWithUniformFrequencies() {
        List<RgbImage> samples = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            samples.add(ToyScenes.render(layout, modes.get(i % 3), i));
        }
        ModeCoverage.Result r = coverage.measure(List.of(layout), List.of(samples));
        assertEquals(1.0, r.coverage(), 1e-9);
        assertEquals(0.0, r.frequencyDistance(), 1e-9);
        assertEquals(1.0, r.fidelity(), 1e-9);
    }

    @Test
    void oneModeOnlyCoversAThird() {
        List<RgbImage> samples = List.of(ToyScenes.render(layout, modes.get(1), 1),
                ToyScenes.render(layout, modes.get(1), 2));
        ModeCoverage.Result r = coverage.measure(List.of(layout), List.of(samples));
        assertEquals(1.0 / 3, r.coverage(), 1e-9);
        assertEquals(2.0 / 3, r.frequencyDistance(), 1e-9);
    }

    @Test
    void aGreyImageIsUnfaithfulAndOffMode() {
        RgbImage grey = RgbImage.blank(layout.width(), layout.height());
        ModeCoverage.Result r = coverage.measure(List.of(layout), List.of(List.of(grey, grey)));
        assertEquals(0.0, r.fidelity(), 1e-9);
        assertTrue(r.frequencyDistance() > 0.6, "TV " + r.frequencyDistance());
    }

    @Test
    void fidelityPerClassPointsAtTheRegionThatIsOff() {
        List<Mode> regions = ToyScenes.Variant.REGIONS.modes();
        ModeCoverage perRegion = new ModeCoverage(new HashSet<>(regions), 20.0);
        ClassMap l = ToyModeData.scenes(64, 32, 1, 9, regions).get(0).layout();
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RgbImage image = ToyScenes.render(l, regions.get(i), i);
            if (i % 2 == 0) { // half the samples paint their vegetation magenta: no season has that colour
                for (int y = 0; y < l.height(); y++) {
                    for (int x = 0; x < l.width(); x++) {
                        if (l.at(x, y) == ToyScenes.VEGETATION) {
                            image.set(x, y, 255, 0, 255);
                        }
                    }
                }
            }
            images.add(image);
        }
        ModeCoverage.Result r = perRegion.measure(List.of(l), List.of(images));
        assertEquals(0.5, r.classFidelity().get("vegetation"), 1e-9);
        r.classFidelity().forEach((name, v) -> {
            if (!name.equals("vegetation")) {
                assertEquals(1.0, v, 1e-9, name);
            }
        });
        assertTrue(r.classFidelity().containsKey("sky") && r.classFidelity().containsKey("car"), r.classFidelity()::toString);
        assertEquals(0.5, r.fidelity(), 1e-9, "a sample with one region off is not faithful");
    }

    @Test
    void perFactorCoverageShowsTheCollapsedFactorThatTheJointFigureBlurs() {
        List<Mode> regions = ToyScenes.Variant.REGIONS.modes();
        ModeCoverage perRegion = new ModeCoverage(new HashSet<>(regions), 20.0);
        ClassMap l = ToyModeData.scenes(64, 32, 1, 9, regions).get(0).layout();
        // 36 samples, one per joint mode: every factor covered.
        List<RgbImage> every = new ArrayList<>();
        // The same, but the sky always overcast: sky covers 1 of 3 weathers, the others stay whole.
        List<RgbImage> overcast = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            Mode m = regions.get(i);
            every.add(ToyScenes.render(l, m, i));
            overcast.add(ToyScenes.render(l, new Mode(m.timeOfDay(), m.carColour(), 0, 1, m.vegetationSeason()), i));
        }
        ModeCoverage.Result all = perRegion.measure(List.of(l), List.of(every));
        assertEquals(List.of("sky", "vegetation", "car"), List.copyOf(all.factorCoverage().keySet()));
        assertEquals(1.0, all.minFactorCoverage(), 1e-9);
        assertEquals(1.0, all.coverage(), 1e-9);
        assertEquals(1.0, all.fidelity(), 1e-9);
        ModeCoverage.Result collapsed = perRegion.measure(List.of(l), List.of(overcast));
        assertEquals(1.0 / 3, collapsed.factorCoverage().get("sky"), 1e-9);
        assertEquals(1.0, collapsed.factorCoverage().get("vegetation"), 1e-9);
        assertEquals(1.0, collapsed.factorCoverage().get("car"), 1e-9);
        assertEquals(1.0 / 3, collapsed.minFactorCoverage(), 1e-9);
        assertEquals(1.0 / 3, collapsed.coverage(), 1e-9);
    }

    @Test
    void theClassicUniverseReadsAsBefore() {
        // Only factors that vary count; a fourth car colour outside the universe is never read.
        ModeCoverage classic = new ModeCoverage(ModeCoverage.allModes(), 20.0);
        Scene s = new ToyScenes(32, 16).sample(1, 3);
        RgbImage yellowCars = ToyScenes.render(s.layout(), new Mode(s.mode().timeOfDay(), 3, s.mode().buildingHue()), 1);
        ModeCoverage.Result r = classic.measure(List.of(s.layout()), List.of(List.of(yellowCars, yellowCars)));
        assertTrue(r.factorCoverage().containsKey("time") && !r.factorCoverage().containsKey("sky"), r.toString());
        if (s.layout().histogram()[ToyScenes.CAR] > 0) {
            assertEquals(1.0 / 3, r.factorCoverage().get("car"), 1e-9);
        }
    }

    @Test
    void carColoursCountOnlyWhereTheLayoutHasCars() {
        ModeCoverage all = new ModeCoverage(ModeCoverage.allModes(), 20.0);
        Scene s = new ToyScenes(32, 16).sample(1, 0);
        int expected = 3 * (s.layout().histogram()[ToyScenes.CAR] > 0 ? 3 : 1)
                * (s.layout().histogram()[ToyScenes.BUILDING] > 0 ? 3 : 1);
        assertEquals(expected, all.trueModes(s.layout()).size());
    }
}
