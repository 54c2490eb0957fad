package io.cimle.core.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelInceptionDistanceTest {

    private static float[][] uniform(int n, int d, float shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] f = new float[n][d];
        for (float[] row : f) {
            for (int j = 0; j < d; j++) {
                row[j] = shift + (float) r.nextDouble();
            }
        }
        return f;
    }

    @Test
    void oneSubsetOfTwoRowsIsTheEstimatorByHand() {
        float[][] x = {{1, 0}, {0, 1}};
        float[][] y = {{2, 0}, {0, 0}};
        // k(a, b) = (a.b / 2 + 1)^3; off-diagonal xx: k(x0, x1) = 1; yy: k(y0, y1) = 1;
        // xy: k(x0, y0) = 8, k(x0, y1) = 1, k(x1, y0) = 1, k(x1, y1) = 1.
        double expected = (2 * 1 + 2 * 1) / 2.0 - 2 * (8 + 1 + 1 + 1) / 4.0;
        KernelInceptionDistance.Result r = KernelInceptionDistance.compute(x, y, 3, 1000, 0);
        assertEquals(2, r.subsetSize(), "the subset size is capped at the smaller set");
        for (double v : r.values()) {
            assertEquals(expected, v, 1e-12, "a whole-set subset is a permutation: the same value each time");
        }
        assertEquals(0, r.std(), 1e-12);
    }

    @Test
    void separatesShiftedSetsAndIsNearZeroForOneDistribution() {
        float[][] a = uniform(60, 16, 0f, 1);
        float[][] b = uniform(60, 16, 0f, 2);
        float[][] c = uniform(60, 16, 0.5f, 3);
        KernelInceptionDistance.Result same = KernelInceptionDistance.compute(a, b, 20, 30, 7);
        KernelInceptionDistance.Result shifted = KernelInceptionDistance.compute(a, c, 20, 30, 7);
        assertTrue(Math.abs(same.mean()) < 3 * same.std() + 1e-3, "one distribution: " + same.mean() + " +- " + same.std());
        assertTrue(shifted.mean() > 10 * Math.abs(same.mean()) && shifted.mean() > 0.05, shifted.mean() + " vs "
                + same.mean());
    }

    @Test
    void subsetsAreDistinctRowsAndRepeatableFromTheSeed() {
        float[][] a = uniform(20, 4, 0f, 1);
        float[][] b = uniform(25, 4, 0f, 2);
        KernelInceptionDistance.Result r1 = KernelInceptionDistance.compute(a, b, 5, 10, 42);
        KernelInceptionDistance.Result r2 = KernelInceptionDistance.compute(a, b, 5, 10, 42);
        assertArrayEquals(r1.values(), r2.values());
        for (int[] rows : r1.rows2()) {
            assertEquals(10, Arrays.stream(rows).distinct().filter(i -> i >= 0 && i < 25).count());
        }
    }
}
