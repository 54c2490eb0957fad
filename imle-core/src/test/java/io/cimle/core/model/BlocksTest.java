package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlocksTest {
    @Test
    void layerNormNormalisesEachSampleOverChannelsAndSpace() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            LayerNorm2d norm = new LayerNorm2d(16);
            norm.initialize(m, DataType.FLOAT32, new Shape(2, 16, 4, 8));
            NDArray x = m.randomNormal(3, 5, new Shape(2, 16, 4, 8), DataType.FLOAT32);
            x.set(new NDIndex("1"), x.get(1).mul(0.1)); // the samples differ in scale
            NDArray y = norm.forward(new ParameterStore(m, false), new NDList(x), false).head();
            NDArray flat = y.reshape(2, -1);
            float[] means = flat.mean(new int[] {1}).toFloatArray();
            float[] stds = flat.sub(flat.mean(new int[] {1}, true)).square().mean(new int[] {1}).sqrt().toFloatArray();
            for (int n = 0; n < 2; n++) {
                assertEquals(0, means[n], 1e-4, "mean of sample " + n);
                assertEquals(1, stds[n], 1e-3, "std of sample " + n);
            }
        }
    }

    @Test
    void perPixelLayerNormNormalisesEachPixelsChannelsAlone() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            LayerNorm2d norm = new LayerNorm2d(16, true);
            norm.initialize(m, DataType.FLOAT32, new Shape(1, 16, 4, 8));
            NDArray x = m.randomNormal(3, 5, new Shape(1, 16, 4, 8), DataType.FLOAT32);
            NDArray y = norm.forward(new ParameterStore(m, false), new NDList(x), false).head();
            float[] means = y.mean(new int[] {1}).toFloatArray();
            float[] stds = y.sub(y.mean(new int[] {1}, true)).square().mean(new int[] {1}).sqrt().toFloatArray();
            for (int p = 0; p < means.length; p++) {
                assertEquals(0, means[p], 1e-4, "mean at pixel " + p);
                assertEquals(1, stds[p], 1e-3, "std at pixel " + p);
            }
            // What one region holds cannot move another's features: scale the left half, the right half stays.
            NDArray scaled = x.duplicate();
            scaled.set(new NDIndex(":, :, :, :4"), x.get(":, :, :, :4").mul(7).add(3));
            NDArray y2 = norm.forward(new ParameterStore(m, false), new NDList(scaled), false).head();
            Assertions.assertArrayEquals(y.get(":, :, :, 4:").toFloatArray(), y2.get(":, :, :, 4:").toFloatArray(), 1e-5f);
            LayerNorm2d whole = new LayerNorm2d(16);
            whole.initialize(m, DataType.FLOAT32, new Shape(1, 16, 4, 8));
            NDArray w1 = whole.forward(new ParameterStore(m, false), new NDList(x), false).head();
            NDArray w2 = whole.forward(new ParameterStore(m, false), new NDList(scaled), false).head();
            Assertions.assertFalse(w1.get(":, :, :, 4:").allClose(w2.get(":, :, :, 4:"), 1e-3, 1e-3, false),
                    "over the whole map, the right half moves with the left");
        }
    }

    /** libtorch's fused layer norm with the expanded affine: the numbers and gradients of the elementwise form. */
    @ParameterizedTest(name = "per pixel {0}")
    @ValueSource(booleans = {false, true})
    void theFusedLayerNormMatchesTheElementwiseOneWithGradients(boolean perPixel) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            LayerNorm2d norm = new LayerNorm2d(8, perPixel);
            norm.initialize(m, DataType.FLOAT32, new Shape(3, 8, 4, 6));
            NDArray gamma = norm.getParameters().get("gamma").getArray();
            NDArray beta = norm.getParameters().get("beta").getArray();
            m.randomNormal(1, 0.5f, new Shape(8), DataType.FLOAT32).copyTo(gamma);
            m.randomNormal(0, 0.5f, new Shape(8), DataType.FLOAT32).copyTo(beta);
            NDArray x = m.randomNormal(2, 3, new Shape(3, 8, 4, 6), DataType.FLOAT32);
            NDArray weights = m.randomUniform(-1, 1, new Shape(3, 8, 4, 6));
            float[] fused;
            float[] fusedGamma;
            float[] fusedBeta;
            try (GradientCollector g = m.getEngine().newGradientCollector()) {
                NDArray y = norm.forward(new ParameterStore(m, false), new NDList(x), true).head();
                fused = y.toFloatArray();
                g.backward(y.mul(weights).sum());
            }
            fusedGamma = gamma.getGradient().toFloatArray();
            fusedBeta = beta.getGradient().toFloatArray();
            gamma.getGradient().subi(gamma.getGradient());
            beta.getGradient().subi(beta.getGradient());
            float[] reference;
            try (GradientCollector g = m.getEngine().newGradientCollector()) {
                NDArray y = LayerNorm2d.unfused(x, gamma, beta, perPixel);
                reference = y.toFloatArray();
                g.backward(y.mul(weights).sum());
            }
            assertArrayEquals(reference, fused, 1e-4f);
            assertArrayEquals(gamma.getGradient().toFloatArray(), fusedGamma, 1e-3f);
            assertArrayEquals(beta.getGradient().toFloatArray(), fusedBeta, 1e-3f);
        }
    }

    @Test
    void areaResizeOfAOneHotGivesClassFractions() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            ClassMap layout = TestLayouts.layout(32, 16, 5, 3);
            NDArray x = LayoutTensors.oneHot(m, List.of(layout)); // (1, 5, 16, 32)
            NDArray coarse = Resize.area(x, 4, 8);                // (1, 5, 4, 8)
            assertEquals(new Shape(1, 5, 4, 8), coarse.getShape());
            float[] sums = coarse.sum(new int[] {1}).toFloatArray();
            for (float s : sums) {
                assertEquals(1f, s, 1e-5f);
            }
            // top-left cell covers pixels (0..3, 0..3): its fraction of class c is the count / 16
            int[] counts = new int[5];
            for (int y = 0; y < 4; y++) {
                for (int xx = 0; xx < 4; xx++) {
                    counts[layout.at(xx, y)]++;
                }
            }
            for (int c = 0; c < 5; c++) {
                assertEquals(counts[c] / 16f, coarse.getFloat(0, c, 0, 0), 1e-6f);
            }
            NDArray up = Resize.bilinear(coarse, 16, 32);
            // Half-pixel bilinear: edges are clamped (corners keep their values), no shift.
            assertEquals(coarse.getFloat(0, 2, 3, 7), up.getFloat(0, 2, 15, 31), 1e-6f);
            assertEquals(coarse.getFloat(0, 2, 0, 0), up.getFloat(0, 2, 0, 0), 1e-6f);
            NDArray small = m.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
            assertArrayEquals(new float[] {0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3},
                    Resize.bilinear(small, 3, 3).toFloatArray(), 1e-6f);
            // 2 -> 4 tells the conventions apart: half-pixel gives [0, .25, .75, 1], not a shifted [0, 0, 1/3, 2/3].
            NDArray row = m.create(new float[] {0, 1}, new Shape(1, 1, 1, 2));
            assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, Resize.bilinear(row, 1, 4).toFloatArray(), 1e-6f);
        }
    }

    /** Coarse modules decide global appearance: the noise they get must not be averaged away. */
    @Test
    void noiseSamplingKeepsVarianceWhereAveragingShrinksIt() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            m.getEngine().setRandomSeed(5);
            NDArray noise = m.randomNormal(0, 1, new Shape(8, 10, 32, 64), DataType.FLOAT32);
            NDArray sampled = Resize.sample(noise, 4, 8);
            assertEquals(new Shape(8, 10, 4, 8), sampled.getShape());
            // the centre pixel of each 8x8 block
            assertEquals(noise.getFloat(3, 2, 8 + 4, 16 + 4), sampled.getFloat(3, 2, 1, 2), 0f);
            double sampledVar = sampled.square().mean().getFloat();
            double averagedVar = Resize.bilinear(noise, 4, 8).square().mean().getFloat();
            assertEquals(1.0, sampledVar, 0.15, "point samples of N(0,1) keep unit variance");
            assertTrue(averagedVar < 0.1, "an averaging resize shrinks it (" + averagedVar + ")");
            assertEquals(noise, Resize.sample(noise, 32, 64));
            Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Resize.sample(noise, 5, 8));
        }
    }

    @Test
    void imagesRoundTripThroughTensors() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            RgbImage image = RgbImage.blank(4, 2);
            image.set(0, 0, 255, 0, 128);
            image.set(3, 1, 1, 254, 77);
            NDArray t = ImageTensors.fromImages(m, List.of(image));
            assertEquals(new Shape(1, 3, 2, 4), t.getShape());
            assertEquals(1f, t.getFloat(0, 0, 0, 0), 1e-6f);
            assertEquals(-1f, t.getFloat(0, 1, 0, 0), 1e-6f);
            assertEquals(image, ImageTensors.toImages(t).get(0));
            NDArray out = m.create(new float[] {-3f, 3f, Float.NaN}, new Shape(1, 3, 1, 1));
            assertArrayEquals(new byte[] {0, (byte) 255, 0}, ImageTensors.toImages(out).get(0).rgb());
        }
    }
}
