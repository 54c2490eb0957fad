package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import org.junit.jupiter.api.Test;

/** The TorchScript program libtorch compiles at load: its two methods do what their names say. */
class FusedAdamProgramTest {
    @Test
    void normCoversEveryTensorAndTheUpdateIsPyTorchsFirstAdamStep() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                FusedAdamProgram program = new FusedAdamProgram((PtNDManager) m)) {
            PtNDArray w1 = (PtNDArray) m.create(new float[] {1, 2});
            PtNDArray w2 = (PtNDArray) m.create(new float[] {3});
            PtNDArray g1 = (PtNDArray) m.create(new float[] {3, -4});
            PtNDArray g2 = (PtNDArray) m.create(new float[] {12});
            PtNDArray[] grads = {g1, g2};
            assertEquals(9 + 16 + 144, program.squaredNorm(grads), 1e-3);

            PtNDArray[] mom = {(PtNDArray) m.zeros(w1.getShape()), (PtNDArray) m.zeros(w2.getShape())};
            PtNDArray[] var = {(PtNDArray) m.zeros(w1.getShape()), (PtNDArray) m.zeros(w2.getShape())};
            PtNDArray step = (PtNDArray) m.create(1f);
            program.update(new PtNDArray[] {w1, w2}, grads, mom, var, new PtNDArray[] {step, step}, 0.1, 0.9, 0.999,
                    1e-8);
            // Step 1: m / (1 - b1) = g and v / (1 - b2) = g^2, so every weight moves by lr * sign(g).
            assertArrayEquals(new float[] {0.9f, 2.1f}, w1.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {2.9f}, w2.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.3f, -0.4f}, mom[0].toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.144f}, var[1].toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0, 0}, g1.toFloatArray(), 0f, "gradients zeroed");
            assertEquals(1f, step.getFloat(), "the step count is the caller's");
        }
    }
}
