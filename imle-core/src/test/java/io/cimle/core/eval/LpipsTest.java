package io.cimle.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cimle.core.training.distance.RandomVggWeights;
import io.cimle.core.training.distance.VggTrunk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LpipsTest {
    @TempDir
    static Path dir;
    static Lpips lpips;
    private NDManager m;

    /** VGG-16 convs plus non-negative lin0..lin4, named like an export of the LPIPS repo's vgg.pth. */
    static NDList randomLpipsWeights(NDManager m, boolean withLin4) {
        NDList list = RandomVggWeights.convs(m, VggTrunk.VGG16_TO_CONV5_3);
        int[] channels = {64, 128, 256, 512, 512};
        for (int k = 0; k < (withLin4 ? 5 : 4); k++) {
            NDArray l = m.randomUniform(0f, 1f, new Shape(1, channels[k], 1, 1));
            l.setName("lin" + k + ".model.1.weight");
            list.add(l);
        }
        return list;
    }

    @BeforeAll
    static void load() throws Exception {
        Engine.getInstance().setRandomSeed(5);
        Path file = dir.resolve("lpips_vgg_random.npz");
        try (NDManager m = NDManager.newBaseManager()) {
            RandomVggWeights.write(randomLpipsWeights(m, true), file);
        }
        lpips = Lpips.load(file, Device.cpu());
    }

    @AfterAll
    static void close() {
        lpips.close();
    }

    @BeforeEach
    void setUp() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    private NDArray images(long n) {
        return m.randomUniform(-1f, 1f, new Shape(n, 3, 32, 64));
    }

    @Test
    void zeroForIdenticalImagesPositiveAndSymmetricOtherwise() {
        NDArray a = images(3);
        NDArray b = images(3);
        assertArrayEquals(new float[] {0f, 0f, 0f}, lpips.distance(a, a).toFloatArray(), 1e-6f);
        float[] ab = lpips.distance(a, b).toFloatArray();
        float[] ba = lpips.distance(b, a).toFloatArray();
        assertArrayEquals(ab, ba, 1e-5f);
        for (float v : ab) {
            assertTrue(v > 0 && Float.isFinite(v), "LPIPS " + v);
        }
        // a slightly perturbed copy is closer than an unrelated image
        float near = lpips.distance(a, a.add(m.randomNormal(new Shape(3, 3, 32, 64)).mul(0.02f))).getFloat(0);
        assertTrue(near < ab[0], "near " + near + " vs unrelated " + ab[0]);
        assertTrue(lpips.name().startsWith("LPIPS"), lpips.name());
    }

    @Test
    void missingLinearLayerIsNamed() throws Exception {
        Path file = dir.resolve("no_lin4.npz");
        RandomVggWeights.write(randomLpipsWeights(m, false), file);
        var e = assertThrows(IllegalArgumentException.class, () -> Lpips.load(file, Device.cpu()));
        assertTrue(e.getMessage().contains("lacks tensor 'lin4.model.1.weight' (expected shape (1, 512, 1, 1))"),
                e.getMessage());
    }

    @Test
    void diversityWithLpipsNamesItAndIsZeroForIdenticalSamples() {
        PairwiseDiversity diversity = new PairwiseDiversity(lpips, PairwiseDiversity.DEFAULT_PAIRS);
        NDArray one = images(1);
        DiversityResult same = diversity.measure(List.of(one.repeat(0, 4)), 1);
        assertEquals(0.0, same.mean(), 1e-6);
        DiversityResult varied = diversity.measure(List.of(images(4), images(3)), 1);
        assertTrue(varied.mean() > 0, "diversity " + varied.mean());
        assertEquals(2, varied.layouts());
        assertEquals(40, varied.pairsPerLayout());
        assertTrue(varied.metric().startsWith("LPIPS"), varied.metric());
    }
}
