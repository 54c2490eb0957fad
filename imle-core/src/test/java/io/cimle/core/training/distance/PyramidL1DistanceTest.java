package io.cimle.core.training.distance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PyramidL1DistanceTest {
    private NDManager m;
    private final Distance d = PyramidL1Distance.defaults();

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(7);
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    private NDArray images(long n, long h, long w) {
        return m.randomUniform(0f, 255f, new Shape(n, 3, h, w));
    }

    @Test
    void distanceOfAnImageToItselfIsZero() {
        NDArray x = images(2, 16, 32);
        assertArrayEquals(new float[] {0f, 0f}, d.perSample(x, x, null).toFloatArray(), 0f);
    }

    @Test
    void distanceGrowsWithAddedNoise() {
        NDArray x = images(1, 16, 32);
        NDArray noise = m.randomNormal(new Shape(1, 3, 16, 32));
        float small = d.perSample(x.add(noise.mul(5)), x, null).getFloat(0);
        float large = d.perSample(x.add(noise.mul(20)), x, null).getFloat(0);
        assertTrue(small > 0, "small noise distance " + small);
        assertTrue(large > small * 2, "large " + large + " vs small " + small);
    }

    @Test
    void maskOfZerosGivesZero() {
        NDArray mask = m.zeros(new Shape(2, 1, 16, 32));
        float[] out = d.perSample(images(2, 16, 32), images(2, 16, 32), mask).toFloatArray();
        assertArrayEquals(new float[] {0f, 0f}, out, 0f);
    }

    @Test
    void maskWeightsOnlyWhereItIsNonZeroAndScalesLinearly() {
        NDArray target = images(1, 16, 32);
        // generated differs from the target on the left half only
        NDArray generated = target.duplicate();
        generated.set(new NDIndex(":, :, :, :16"), target.get(":, :, :, :16").add(40f));
        NDArray left = m.zeros(new Shape(1, 1, 16, 32));
        left.set(new NDIndex(":, :, :, :16"), 1f);
        NDArray right = m.ones(new Shape(1, 1, 16, 32)).sub(left);

        float onLeft = d.perSample(generated, target, left).getFloat(0);
        float onRight = d.perSample(generated, target, right).getFloat(0);
        float unmasked = d.perSample(generated, target, null).getFloat(0);
        float doubled = d.perSample(generated, target, left.mul(2)).getFloat(0);
        assertTrue(onLeft > 1f, "left-masked distance " + onLeft);
        assertEquals(0f, onRight, 1e-4f);
        assertEquals(unmasked, onLeft, 1e-3f * unmasked); // the right half contributes nothing
        assertEquals(2 * onLeft, doubled, 1e-3f * doubled);
    }

    @Test
    void perCandidateEqualsPerSampleWithRepeatedTarget() {
        // odd sizes exercise the crops of the Laplacian bands and floor pooling of the mask
        for (long[] hw : new long[][] {{16, 32}, {17, 30}}) {
            NDArray candidates = images(5, hw[0], hw[1]);
            NDArray target = images(1, hw[0], hw[1]);
            NDArray mask = m.randomUniform(0f, 1f, new Shape(1, 1, hw[0], hw[1]));
            float[] naive = d.perSample(candidates, target.repeat(0, 5), mask.repeat(0, 5)).toFloatArray();
            try (TargetFeatures t = d.prepare(target, mask)) {
                float[] fast = d.perCandidate(candidates, t).toFloatArray();
                assertArrayEquals(naive, fast, 1e-3f);
            }
            try (TargetFeatures t = d.prepare(target, null)) {
                assertArrayEquals(d.perSample(candidates, target.repeat(0, 5), null).toFloatArray(),
                        d.perCandidate(candidates, t).toFloatArray(), 1e-3f);
            }
        }
    }

    @Test
    void gradientsFlowToGenerated() {
        NDArray target = images(2, 16, 32);
        NDArray generated = images(2, 16, 32);
        NDArray mask = m.randomUniform(0f, 1f, new Shape(2, 1, 16, 32));
        generated.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(d.perSample(generated, target, mask).sum());
        }
        NDArray grad = generated.getGradient();
        assertTrue(grad.abs().sum().getFloat() > 0, "no gradient reached the generated images");
        assertTrue(grad.isInfinite().logicalNot().all().getBoolean());
    }

    @Test
    void tinyInputsSkipTheLevelsTheyCannotHold() {
        NDArray x = images(1, 3, 5);
        float v = d.perSample(x.add(10f), x, null).getFloat(0);
        // every remaining Gaussian level differs by exactly 10; the Laplacian bands by 0
        assertEquals(10f * (1 + 0.5f), v, 1e-3f); // levels 0 and 1 (weights 1 and 0.5) exist at 3x5
    }

    @Test
    void badSettingsAndShapesAreRejectedClearly() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PyramidL1Distance(2, List.of(1.0), 0));
        assertTrue(e.getMessage().contains("need 3 pyramid level weights"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> d.perSample(images(1, 16, 32), images(1, 16, 32), m.ones(new Shape(1, 1, 8, 32))));
        assertTrue(e2.getMessage().contains("(1, 1, 8, 32)"), e2.getMessage());
    }
}
