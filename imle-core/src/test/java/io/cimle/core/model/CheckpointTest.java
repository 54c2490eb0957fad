package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.ClassMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    private static final Device CPU = Device.cpu();

    @Test
    void saveAndLoadGiveBitIdenticalOutputs() throws Exception {
        ModelConfig config = Presets.tiny(4);
        ClassMap layout = TestLayouts.layout(32, 16, 4, 1);
        List<LatentCode> codes = List.of(LatentCodes.sample(config, 5, 0), LatentCodes.sample(config, 5, 1));
        byte[] written;
        float[] expected;
        Checkpoint original;
        try (GeneratorNetwork net = GeneratorNetwork.create(config, CPU)) {
            expected = rawOutput(net, layout, codes);
            original = Checkpoint.of(net, 1234, 3, Map.of("run", "unit-test"),
                    Map.of("optimizer/adam", new byte[] {1, 2, 3}, "rng", new byte[] {9}));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            original.writeTo(out);
            written = out.toByteArray();
        }
        Checkpoint read = Checkpoint.readFrom(new ByteArrayInputStream(written));
        assertEquals(config, read.config());
        assertEquals(1234, read.step());
        assertEquals(3, read.epoch());
        assertEquals(original.createdAt(), read.createdAt());
        assertEquals(Map.of("run", "unit-test"), read.metadata());
        assertArrayEquals(new byte[] {1, 2, 3}, read.extras().get("optimizer/adam"));
        assertArrayEquals(new byte[] {9}, read.extras().get("rng"));
        assertEquals(original.sha256(), read.sha256(), "re-writing a read checkpoint must give the same bytes");
        assertArrayEquals(written, read.toBytes());
        try (GeneratorNetwork loaded = GeneratorNetwork.fromCheckpoint(read, CPU)) {
            assertArrayEquals(expected, rawOutput(loaded, layout, codes));
        }
        // Same micro-batch size: libtorch kernels may differ by one 8-bit level across batch sizes (GeneratorTest covers that).
        try (Sampler a = Sampler.fromCheckpoint(read, CPU, 4); Sampler b = Sampler.fromCheckpoint(read, CPU, 4)) {
            assertEquals(a.generate(layout, codes).images(), b.generate(layout, codes).images());
        }
    }

    @Test
    void differentContentGivesADifferentHash() {
        try (GeneratorNetwork net = GeneratorNetwork.create(Presets.tiny(4), CPU)) {
            Checkpoint a = Checkpoint.of(net, 1, 0, Map.of(), Map.of());
            Checkpoint b = new Checkpoint(a.config(), 2, 0, a.createdAt(), Map.of(), a.generatorParams(), Map.of());
            Checkpoint c = new Checkpoint(a.config(), 1, 0, a.createdAt(), Map.of(), a.generatorParams(), Map.of());
            assertNotEquals(a.sha256(), b.sha256());
            assertEquals(a.sha256(), c.sha256());
        }
    }

    @Test
    void loadingIntoAnotherArchitectureNamesTheDifferingValues() {
        Checkpoint small;
        try (GeneratorNetwork net = GeneratorNetwork.create(Presets.small(4), CPU)) {
            small = Checkpoint.of(net, 0, 0, Map.of(), Map.of());
        }
        try (GeneratorNetwork tiny = GeneratorNetwork.create(Presets.tiny(4), CPU)) {
            IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
                    () -> tiny.loadParameters(small));
            assertTrue(e.getMessage().contains("height: 16 vs 32"), e.getMessage());
            assertTrue(e.getMessage().contains("moduleChannels: [32, 32, 32] vs [64, 64, 48, 32]"), e.getMessage());
        }
        try (GeneratorNetwork raw = GeneratorNetwork.create(Presets.small(4).withNoiseMode(NoiseMode.RAW), CPU)) {
            IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
                    () -> raw.loadParameters(small));
            assertTrue(e.getMessage().contains("noiseMode: RAW vs ENCODER"), e.getMessage());
        }
    }

    @Test
    void newerFormatVersionFailsClearly() throws Exception {
        byte[] bytes;
        try (GeneratorNetwork net = GeneratorNetwork.create(Presets.tiny(4), CPU)) {
            bytes = Checkpoint.of(net, 0, 0, Map.of(), Map.of()).toBytes();
        }
        ByteArrayOutputStream patched = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bytes));
             ZipOutputStream out = new ZipOutputStream(patched)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                if (e.getName().equals("manifest.json")) {
                    String json = new String(content, StandardCharsets.UTF_8);
                    assertTrue(json.contains("\"formatVersion\" : 1"), json);
                    content = json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 7")
                            .getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(content);
                out.closeEntry();
            }
        }
        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
                () -> Checkpoint.readFrom(new ByteArrayInputStream(patched.toByteArray())));
        assertTrue(e.getMessage().contains("version 7") && e.getMessage().contains("(1)"), e.getMessage());
        IncompatibleCheckpointException notZip = assertThrows(IncompatibleCheckpointException.class,
                () -> Checkpoint.readFrom(new ByteArrayInputStream(new byte[] {1, 2, 3})));
        assertTrue(notZip.getMessage().contains("manifest.json"), notZip.getMessage());
    }

    @Test
    void badExtraNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Checkpoint(
                Presets.tiny(4), 0, 0, Instant.EPOCH, Map.of(), new byte[0], Map.of("../evil", new byte[0])));
        assertTrue(e.getMessage().contains("../evil"), e.getMessage());
    }

    private static float[] rawOutput(GeneratorNetwork net, ClassMap layout, List<LatentCode> codes) {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = LayoutTensors.oneHot(m, List.of(layout, layout));
            return net.forward(x, net.noiseFor(codes, m), false).toFloatArray();
        }
    }
}
