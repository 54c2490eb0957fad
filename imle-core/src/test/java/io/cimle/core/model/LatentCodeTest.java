package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatentCodeTest {
    @Test
    void sameSeedSameValuesAndRoughlyStandardNormal() {
        LatentCode a = LatentCode.fromSeed(7, 10, 16, 32);
        LatentCode b = LatentCode.fromSeed(7, 10, 16, 32);
        assertEquals(a, b);
        assertNotEquals(a, LatentCode.fromSeed(8, 10, 16, 32));
        float[] v = a.values();
        double mean = 0;
        double sq = 0;
        for (float x : v) {
            mean += x;
            sq += x * x;
        }
        mean /= v.length;
        double var = sq / v.length - mean * mean;
        assertTrue(Math.abs(mean) < 0.05, "mean " + mean);
        assertTrue(Math.abs(var - 1) < 0.05, "variance " + var);
    }

    @Test
    void seedOnlyCodesMaterialiseToTheSeededValues() {
        LatentCode seedOnly = LatentCode.seedOnly(99, 3, 4);
        assertFalse(seedOnly.hasValues());
        assertArrayEquals(LatentCode.fromSeed(99, 3, 4).values(), seedOnly.materialise().values());
    }

    @Test
    void wrongSizesAndNonFiniteValuesAreRefusedClearly() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> LatentCode.ofValues(new float[5], 2, 3));
        assertTrue(size.getMessage().contains("[2, 3]") && size.getMessage().contains("5"), size.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> LatentCode.ofValues(new float[] {0, Float.NaN}, 2));
        assertTrue(nan.getMessage().contains("index 1"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LatentCode(null, new int[] {2}, 0, false));
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class,
                () -> LatentCodes.resolve(LatentCode.fromSeed(1, 32), Presets.tiny(3), 4));
        assertTrue(model.getMessage().contains("latent code 4") && model.getMessage().contains("[10, 16, 32]"),
                model.getMessage());
    }

    @Test
    void deriveSpreadsNeighbouringSeeds() {
        assertNotEquals(LatentCodes.derive(1, 0), LatentCodes.derive(1, 1));
        assertNotEquals(LatentCodes.derive(1, 1), LatentCodes.derive(2, 0));
        assertEquals(LatentCodes.derive(5, 3), LatentCodes.derive(5, 3));
        assertThrows(IllegalArgumentException.class, () -> LatentCodes.derive(5, -1));
    }

    @Test
    void interpolationHitsTheEndsAndSlerpKeepsTheNorm() {
        LatentCode a = LatentCode.fromSeed(1, 256);
        LatentCode b = LatentCode.fromSeed(2, 256);
        for (InterpolationMethod m : InterpolationMethod.values()) {
            assertArrayEquals(a.values(), LatentCodes.interpolate(a, b, 0, m).values(), 1e-5f);
            assertArrayEquals(b.values(), LatentCodes.interpolate(a, b, 1, m).values(), 1e-5f);
        }
        double na = norm(a.values());
        double nb = norm(b.values());
        double slerpMid = norm(LatentCodes.interpolate(a, b, 0.5, InterpolationMethod.SLERP).values());
        double linearMid = norm(LatentCodes.interpolate(a, b, 0.5, InterpolationMethod.LINEAR).values());
        assertTrue(slerpMid > 0.95 * Math.min(na, nb), "slerp midpoint norm " + slerpMid);
        assertTrue(linearMid < 0.8 * Math.min(na, nb), "linear midpoint norm " + linearMid);
        assertThrows(IllegalArgumentException.class,
                () -> LatentCodes.interpolate(a, LatentCode.fromSeed(3, 8), 0.5, InterpolationMethod.LINEAR));
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
