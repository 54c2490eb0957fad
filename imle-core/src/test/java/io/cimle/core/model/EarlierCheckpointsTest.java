package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints written before code parts per instance existed (the code of commit 827b1e9: a vector code with
 * one block per class and regional selection's form, and the reference's per-pixel encoder code; the
 * program that wrote them is WriteOld.java.txt beside them) still load and give the same bytes per seed.
 */
class EarlierCheckpointsTest {
    private static final String DIR = "/checkpoints/v1-class-parts/";

    @Test
    void earlierCheckpointsLoadAndSampleTheSameBytes() throws Exception {
        ClassMap layout = new ToyScenes(32, 16).sample(77, 3).layout();
        List<String> expected = new String(read("samples.sha256"), StandardCharsets.UTF_8).lines().toList();
        assertEquals(8, expected.size());
        for (String form : List.of("vector-regional", "encoder")) {
            Checkpoint cp = Checkpoint.readFrom(new ByteArrayInputStream(read(form + ".ckpt")));
            assertTrue(cp.config().partsAreClasses(), form + " reads as one part per class");
            try (Sampler sampler = Sampler.fromCheckpoint(cp, Device.cpu(), 8)) {
                List<RgbImage> images = sampler.generate(layout, 4, 123).images();
                for (int i = 0; i < images.size(); i++) {
                    String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(images.get(i).rgb()));
                    assertTrue(expected.contains(form + " " + i + " " + sum), form + " sample " + i + " changed: " + sum);
                }
            }
        }
    }

    private static byte[] read(String name) throws Exception {
        try (InputStream in = EarlierCheckpointsTest.class.getResourceAsStream(DIR + name)) {
            return in.readAllBytes();
        }
    }
}
