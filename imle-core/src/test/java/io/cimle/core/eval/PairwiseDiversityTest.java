package io.cimle.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairwiseDiversityTest {

    @Test
    void fallbackMetricIsNamedAndMeasuresPixelDifferencesInUnitScale() {
        try (NDManager m = NDManager.newBaseManager()) {
            PairwiseDiversity d = PairwiseDiversity.create(null, Device.cpu());
            // two samples: all -1 and all +1 -> every pair differs by the full range: 1.0
            NDArray s = m.create(new float[] {-1f, 1f}).reshape(2, 1, 1, 1).broadcast(2, 3, 4, 8);
            DiversityResult r = d.measure(List.of(s), 3);
            assertEquals(1.0, r.mean(), 1e-6);
            assertEquals(0.0, r.std(), 1e-6);
            assertTrue(r.metric().contains("fallback"), r.metric());
            // more spread samples are more diverse, same seed
            NDArray narrow = m.randomUniform(-0.1f, 0.1f, new Shape(5, 3, 4, 8));
            NDArray wide = narrow.mul(5);
            assertTrue(d.measure(List.of(wide), 9).mean() > d.measure(List.of(narrow), 9).mean());
        }
    }

    @Test
    void needsTwoSamplesPerLayout() {
        try (NDManager m = NDManager.newBaseManager()) {
            PairwiseDiversity d = new PairwiseDiversity(new MeanAbsPixelMetric(), 40);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> d.measure(List.of(m.zeros(new Shape(2, 3, 4, 4)), m.zeros(new Shape(1, 3, 4, 4))), 0));
            assertTrue(e.getMessage().contains("layout #1"), e.getMessage());
        }
    }
}
