package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamTest {
    /** One weight "w" of {@code size} ones. */
    private static ParameterList onesWeight(NDManager m, int size) {
        Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        p.setShape(new Shape(size));
        p.setInitializer(Initializer.ONES);
        p.initialize(m, DataType.FLOAT32);
        ParameterList list = new ParameterList();
        list.add("w", p);
        return list;
    }

    /** Makes {@code gradient} the gradient of w: d(sum(w * g))/dw = g. */
    private static void backward(NDManager m, NDArray w, float[] gradient) {
        try (GradientCollector c = m.getEngine().newGradientCollector()) {
            c.backward(w.mul(m.create(gradient)).sum());
        }
    }

    /** One overflowing gradient would make the second moment infinite and freeze the weight for good. */
    @Test
    void anOverflowingGradientIsSkippedAndLaterStepsStillLearn() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            ParameterList list = onesWeight(m, 3);
            Parameter p = list.get("w");
            try (Adam adam = new Adam(list, m, 0.9, 0.999, 1e-8)) {
                NDArray w = p.getArray();
                backward(m, w, new float[] {1e20f, 1f, -1f}); // (1e20)^2 overflows float32
                Adam.StepResult skipped = adam.step(0.1);
                assertTrue(skipped.skipped(), "step with a non-finite squared norm is skipped");
                assertArrayEquals(new float[] {1, 1, 1}, w.toFloatArray(), 0f);
                assertEquals(0, adam.stepCount());
                assertArrayEquals(new float[] {0, 0, 0}, w.getGradient().toFloatArray(), 0f, "gradients zeroed");

                backward(m, w, new float[] {1f, 1f, -1f});
                Adam.StepResult normal = adam.step(0.1);
                assertFalse(normal.skipped());
                assertEquals(3.0, normal.gradientSquaredNorm(), 1e-6);
                assertArrayEquals(new float[] {0.9f, 0.9f, 1.1f}, w.toFloatArray(), 1e-5f);
            }
        }
    }

    /** libtorch's in-place update is the textbook formula, step after step (within float rounding). */
    @Test
    void theUpdateIsAdamsFormula() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            ParameterList list = onesWeight(m, 4);
            Parameter p = list.get("w");
            double[] w = {1, 1, 1, 1};
            double[] mom = new double[4];
            double[] var = new double[4];
            Random random = new Random(7);
            try (Adam adam = new Adam(list, m, 0.9, 0.999, 1e-8)) {
                for (int t = 1; t <= 6; t++) {
                    float[] g = new float[4];
                    for (int i = 0; i < 4; i++) {
                        g[i] = (float) random.nextGaussian();
                        mom[i] = 0.9 * mom[i] + 0.1 * g[i];
                        var[i] = 0.999 * var[i] + 0.001 * g[i] * g[i];
                        w[i] -= 0.01 * (mom[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(var[i] / (1 - Math.pow(0.999, t))) + 1e-8);
                    }
                    backward(m, p.getArray(), g);
                    adam.step(0.01);
                    float[] got = p.getArray().toFloatArray();
                    for (int i = 0; i < 4; i++) {
                        assertEquals(w[i], got[i], 1e-5, "step " + t + ", weight " + i);
                    }
                }
                assertEquals(6, adam.stepCount());
            }
        }
    }
}
