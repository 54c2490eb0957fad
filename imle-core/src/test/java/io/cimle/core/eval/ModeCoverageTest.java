package io.cimle.core.eval;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.ToyScenes.Mode;
import io.cimle.core.data.ToyScenes.Scene;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void carColoursCountOnlyWhereTheLayoutHasCars() {
        ModeCoverage all = new ModeCoverage(ModeCoverage.allModes(), 20.0);
        Scene s = new ToyScenes(32, 16).sample(1, 0);
        int expected = 3 * (s.layout().histogram()[ToyScenes.CAR] > 0 ? 3 : 1)
                * (s.layout().histogram()[ToyScenes.BUILDING] > 0 ? 3 : 1);
        assertEquals(expected, all.trueModes(s.layout()).size());
    }
}
