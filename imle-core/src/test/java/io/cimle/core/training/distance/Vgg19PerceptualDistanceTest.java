package io.cimle.core.training.distance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Vgg19PerceptualDistanceTest {
    @TempDir
    static Path dir;
    static Path weights;
    static Vgg19PerceptualDistance vgg;
    private NDManager m;

    @BeforeAll
    static void writeRandomWeights() throws Exception {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            weights = RandomVggWeights.writeVgg19(dir, m);
        }
        vgg = Vgg19PerceptualDistance.load(weights, VggLayerWeights.gta5(), Device.cpu());
    }

    @AfterAll
    static void closeVgg() {
        vgg.close();
    }

    @BeforeEach
    void setUp() {
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
    void forwardAt32x64IsZeroForItselfAndGrowsWithNoise() {
        NDArray x = images(1, 32, 64);
        NDArray noise = m.randomNormal(new Shape(1, 3, 32, 64));
        assertEquals(0f, vgg.perSample(x, x, null).getFloat(0), 0f);
        float small = vgg.perSample(x.add(noise.mul(5)), x, null).getFloat(0);
        float large = vgg.perSample(x.add(noise.mul(30)), x, null).getFloat(0);
        assertTrue(Float.isFinite(large));
        assertTrue(small > 0 && large > small, "small " + small + ", large " + large);
        assertTrue(vgg.describe().contains("VGG-19"), vgg.describe());
    }

    @Test
    void maskOfZerosGivesZeroAndMaskScalesLinearly() {
        NDArray a = images(2, 32, 64);
        NDArray b = images(2, 32, 64);
        assertArrayEquals(new float[] {0f, 0f},
                vgg.perSample(a, b, m.zeros(new Shape(2, 1, 32, 64))).toFloatArray(), 0f);
        float[] plain = vgg.perSample(a, b, null).toFloatArray();
        float[] halved = vgg.perSample(a, b, m.full(new Shape(2, 1, 32, 64), 0.5f)).toFloatArray();
        assertEquals(plain[0] / 2, halved[0], 1e-3f * plain[0]);
        assertEquals(plain[1] / 2, halved[1], 1e-3f * plain[1]);
    }

    @Test
    void perCandidateEqualsPerSampleWithRepeatedTarget() {
        NDArray candidates = images(4, 32, 64);
        NDArray target = images(1, 32, 64);
        NDArray mask = m.randomUniform(0f, 1f, new Shape(1, 1, 32, 64));
        float[] naive = vgg.perSample(candidates, target.repeat(0, 4), mask.repeat(0, 4)).toFloatArray();
        try (TargetFeatures t = vgg.prepare(target, mask)) {
            float[] fast = vgg.perCandidate(candidates, t).toFloatArray();
            for (int i = 0; i < naive.length; i++) {
                assertEquals(naive[i], fast[i], 1e-4f * Math.abs(naive[i]), "candidate " + i);
            }
        }
    }

    @Test
    void gradientFlowsToTheInputButNotToTheWeights() {
        NDArray generated = images(1, 32, 64);
        NDArray target = images(1, 32, 64);
        generated.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(vgg.perSample(generated, target, null).sum());
        }
        assertTrue(generated.getGradient().abs().sum().getFloat() > 0, "no gradient at the input");
        for (NDArray p : vgg.parameters()) {
            assertFalse(p.hasGradient(), "a VGG tensor requires a gradient");
        }
    }

    @Test
    void smallInputsSkipDeeperLayersInsteadOfFailing() {
        NDArray x = images(2, 8, 16); // 3 poolings leave 1x2: conv5_2 cannot be reached
        float[] d = vgg.perSample(x.add(10f), x, null).toFloatArray();
        assertTrue(d[0] > 0 && Float.isFinite(d[0]), "distance " + d[0]);
    }

    @Test
    void wrongShapeNamesKeyExpectedAndActualShape() throws Exception {
        Path bad = dir.resolve("bad.npz");
        NDList list = RandomVggWeights.convs(m, VggTrunk.VGG19_TO_CONV5_2);
        NDArray wrong = m.zeros(new Shape(128, 32, 3, 3));
        wrong.setName("features.7.weight");
        list.replaceAll(a -> "features.7.weight".equals(a.getName()) ? wrong : a);
        RandomVggWeights.write(list, bad);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Vgg19PerceptualDistance.load(bad, VggLayerWeights.gta5(), Device.cpu()));
        assertTrue(e.getMessage().contains("'features.7.weight' has shape (128, 32, 3, 3), expected (128, 128, 3, 3)"),
                e.getMessage());
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        Path partial = dir.resolve("partial.npz");
        NDList list = RandomVggWeights.convs(m, VggTrunk.VGG19_TO_CONV5_2.subList(0, 2));
        RandomVggWeights.write(list, partial);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Vgg19PerceptualDistance.load(partial, VggLayerWeights.cityscapes(), Device.cpu()));
        assertTrue(e.getMessage().contains("lacks tensor 'features.5.weight' (expected shape (128, 64, 3, 3))"),
                e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> Vgg19PerceptualDistance.load(dir.resolve("nope.npz"), VggLayerWeights.gta5(), Device.cpu()));
        assertTrue(e2.getMessage().contains("nope.npz does not exist"), e2.getMessage());
    }
}
