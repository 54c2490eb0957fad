package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.ClassMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceChunkingTest {
    private static final int CHANNELS = 5;

    @Test
    void aChunkedForwardGivesTheNumbersOfOnePass() {
        for (NoiseMode mode : NoiseMode.values()) {
            try (GeneratorNetwork net = GeneratorNetwork.create(Presets.tiny(CHANNELS).withNoiseMode(mode), Device.cpu(), 5);
                 NDManager m = net.manager().newSubManager()) {
                float[] whole = forward(net.setInferenceChunk(0), m, 5, 11).toFloatArray();
                NDArray chunked = forward(net.setInferenceChunk(2), m, 5, 11); // 3 + 2
                assertEquals(5, chunked.getShape().get(0));
                assertArrayEquals(whole, chunked.toFloatArray(), 1e-5f, mode.name());
            }
        }
    }

    @Test
    void aSampleHasTheSameNumbersAloneAndInABatch() {
        for (NoiseMode mode : NoiseMode.values()) {
            try (GeneratorNetwork net = GeneratorNetwork.create(Presets.small(CHANNELS).withNoiseMode(mode), Device.cpu(), 6);
                 NDManager m = net.manager().newSubManager()) {
                net.setInferenceChunk(4);
                float[] inBatch = forward(net, m, 3, 21).get(0).toFloatArray();
                float[] alone = forward(net, m, 1, 21).get(0).toFloatArray();
                assertArrayEquals(inBatch, alone, 0f, mode + ": the same seed must give the same image, batched or not");
            }
        }
    }

    /** The no-grad forward of samples 0..n-1: layout i of TestLayouts with code i of {@code seed}. */
    private static NDArray forward(GeneratorNetwork net, NDManager m, int n, long seed) {
        ModelConfig config = net.config();
        List<ClassMap> layouts = new ArrayList<>();
        List<LatentCode> codes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            layouts.add(TestLayouts.layout(config.width(), config.height(), CHANNELS, i));
            codes.add(LatentCodes.sample(config, seed, i));
        }
        return net.forward(LayoutTensors.oneHot(m, layouts), net.noiseFor(codes, m), false);
    }

    @Test
    void theChunkIsTheLargestPowerOfTwoWhoseWorkingSetFitsTheCache() {
        ModelConfig medium = Presets.medium(20);
        long perSample = InferenceChunking.workingSetBytesPerSample(medium);
        assertEquals(4, InferenceChunking.forCache(medium, 5 * perSample));
        assertEquals(1, InferenceChunking.forCache(medium, perSample / 2), "never below one sample");
        assertEquals(8, InferenceChunking.forCache(medium, 8 * perSample));
        // Larger models fit fewer samples: the paper preset runs one at a time in a 32 MiB cache.
        assertTrue(InferenceChunking.forCache(Presets.paper(20), 32L << 20) == 1);
        assertTrue(InferenceChunking.forCache(Presets.tiny(20), 32L << 20)
                > InferenceChunking.forCache(Presets.small(20), 32L << 20));
        assertEquals(InferenceChunking.WHOLE, InferenceChunking.auto(medium, Device.gpu()));
    }

    @Test
    void calibrationTimesEachBatchAndKeepsTheCheapestPerSample() {
        try (GeneratorNetwork net = GeneratorNetwork.create(Presets.tiny(CHANNELS), Device.cpu(), 3)) {
            net.setInferenceChunk(3);
            InferenceChunking.Calibration c = InferenceChunking.calibrate(net, 4, Duration.ofSeconds(60));
            assertEquals(List.of(1, 2, 4), List.copyOf(c.msPerSample().keySet()));
            c.msPerSample().values().forEach(ms -> assertTrue(ms > 0, "ms per sample " + ms));
            double cheapest = c.msPerSample().values().stream().min(Double::compare).orElseThrow();
            assertEquals(cheapest, c.msPerSample().get(c.chunk()));
            assertEquals(3, net.inferenceChunk(), "calibration leaves the network's chunk alone");
            // A budget no forward meets stops the search after batch 1.
            InferenceChunking.Calibration stopped = InferenceChunking.calibrate(net, 16, Duration.ZERO);
            assertEquals(List.of(1), List.copyOf(stopped.msPerSample().keySet()));
            assertEquals(1, stopped.chunk());
        }
    }

    @Test
    void theLastLevelCacheIsReadFromSysfs(@TempDir Path caches) throws Exception {
        cache(caches, "index0", 1, "Data", "32K");
        cache(caches, "index1", 1, "Instruction", "32K");
        cache(caches, "index2", 2, "Unified", "512K");
        cache(caches, "index3", 3, "Unified", "32768K");
        assertEquals(32L << 20, InferenceChunking.lastLevelCacheBytes(caches));
        assertEquals(0, InferenceChunking.lastLevelCacheBytes(caches.resolve("missing")));
        assertEquals(3L << 30, InferenceChunking.parseSize("3G"));
    }

    private static void cache(Path root, String name, int level, String type, String size) throws Exception {
        Path d = Files.createDirectories(root.resolve(name));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }
}
