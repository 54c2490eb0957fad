package io.cimle.core.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    private static float[][] gaussian(int n, int d, double scale, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] f = new float[n][d];
        for (float[] row : f) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (shift + scale * (j + 1) / d * nextGaussian(r));
            }
        }
        return f;
    }

    private static double nextGaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void lowRankAndFullRoutesGiveOneTrace() {
        // Full rank (more rows than dimensions): equal to rounding. Rank-deficient: the full route adds the
        // roots of its zero eigenvalues' rounding noise, the error the low-rank route avoids.
        for (int n : new int[] {60, 12}) {
            FeatureStatistics a = FeatureStatistics.of(gaussian(n, 24, 1.0, 0.0, 1));
            FeatureStatistics b = FeatureStatistics.of(gaussian(n + 3, 24, 2.0, 0.5, 2));
            double full = FrechetDistance.traceSqrtFull(a.covariance(), b.covariance());
            double lowRank = FrechetDistance.traceSqrtLowRank(a, b);
            assertEquals(full, lowRank, (n > 24 ? 1e-9 : 1e-6) * full, "n = " + n);
            assertEquals(FrechetDistance.betweenFull(a, b), FrechetDistance.between(a, b), 1e-6 * full, "n = " + n);
        }
    }

    @Test
    void aSetHasDistanceZeroToItselfAndAShiftAddsItsSquaredLength() {
        float[][] x = gaussian(50, 8, 1.0, 0.0, 3);
        float[][] shifted = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            shifted[i] = x[i].clone();
            for (int j = 0; j < 8; j++) {
                shifted[i][j] += 0.5f; // same covariance, mean moved by 0.5 in each of 8 dimensions
            }
        }
        FeatureStatistics a = FeatureStatistics.of(x);
        assertEquals(0, FrechetDistance.between(a, a), 1e-9);
        assertEquals(8 * 0.25, FrechetDistance.between(a, FeatureStatistics.of(shifted)), 1e-5);
    }

    @Test
    void scaledCovarianceMatchesTheClosedForm() {
        // S2 = 4 S1 (features times 2): tr S1 + tr 4S1 - 2 tr sqrt(4 S1^2) = tr S1 (1 + 4 - 4).
        float[][] x = gaussian(40, 6, 1.0, 0.0, 4);
        float[][] y = new float[x.length][6];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 6; j++) {
                y[i][j] = 2 * x[i][j];
            }
        }
        FeatureStatistics a = FeatureStatistics.of(x);
        FeatureStatistics b = FeatureStatistics.of(y);
        double meanTerm = 0;
        double[] ma = a.mean();
        double[] mb = b.mean();
        for (int j = 0; j < 6; j++) {
            meanTerm += (ma[j] - mb[j]) * (ma[j] - mb[j]);
        }
        assertEquals(meanTerm + a.covarianceTrace(), FrechetDistance.between(a, b), 1e-6);
    }

    @Test
    void refusesMismatchedOrTooFewFeatures() {
        assertThrows(IllegalArgumentException.class, () -> FeatureStatistics.of(new float[1][4]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(
                FeatureStatistics.of(new float[3][4]), FeatureStatistics.of(new float[3][5])));
        assertTrue(e.getMessage().contains("dimension"), e.getMessage());
    }
}
