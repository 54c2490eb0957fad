package io.cimle.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Behaviour every ObjectStore must have; run against the filesystem and against a real S3 API server. */
abstract class ObjectStoreContract {

    abstract ObjectStore store() throws Exception;

    @Test
    void putGetListDelete() throws Exception {
        ObjectStore s = store();
        s.put("a/b/one.bin", new byte[] {1, 2, 3});
        s.put("a/two.bin", new byte[] {4});
        s.put("z.bin", new byte[0]);
        assertArrayEquals(new byte[] {1, 2, 3}, s.getBytes("a/b/one.bin").orElseThrow());
        assertEquals(3, s.size("a/b/one.bin"));
        assertEquals(-1, s.size("missing"));
        assertTrue(s.getBytes("missing").isEmpty());
        assertEquals(List.of("a/b/one.bin", "a/two.bin"), s.list("a/"));
        s.put("a/two.bin", new byte[] {9, 9});
        assertArrayEquals(new byte[] {9, 9}, s.getBytes("a/two.bin").orElseThrow());
        s.delete("a/two.bin");
        assertFalse(s.exists("a/two.bin"));
        assertTrue(s.uri("a/b/one.bin").contains("a/b/one.bin"));
    }

    @Test
    void rejectsKeysThatEscape() throws Exception {
        ObjectStore s = store();
        assertThrows(IllegalArgumentException.class, () -> s.put("../etc/passwd", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> s.put("/abs", new byte[1]));
    }

    @Test
    void lengthMismatchFailsAndLeavesNothing() throws Exception {
        ObjectStore s = store();
        assertThrows(IOException.class, () -> s.put("short.bin", new ByteArrayInputStream(new byte[3]), 10));
        assertFalse(s.exists("short.bin"));
    }

    @Test
    void checkpointsArePublishedVerifiedAndRetained() throws Exception {
        CheckpointStore cs = new CheckpointStore(store(), 2, true);
        assertTrue(cs.latest("toy").isEmpty());
        byte[][] payloads = new byte[4][];
        Random r = new Random(1);
        for (int i = 0; i < 4; i++) {
            payloads[i] = new byte[1000 + i];
            r.nextBytes(payloads[i]);
            CheckpointInfo info = cs.publish(new CheckpointStore.Publication("toy", 100L * (i + 1), i,
                    Map.of("loss", 1.0 / (i + 1)), "tiny", 32, 16), payloads[i]);
            assertEquals(String.format("%06d", i + 1), info.version());
            if (i == 0) {
                cs.pin("toy", info.version());
            }
        }
        CheckpointInfo latest = cs.latest("toy").orElseThrow();
        assertEquals("000004", latest.version());
        assertEquals(400, latest.step());
        assertEquals(0.25, latest.metrics().get("loss"));
        assertArrayEquals(payloads[3], cs.read(latest));
        // Retention: the newest two and the pinned first one remain.
        assertEquals(List.of("000001", "000003", "000004"),
                cs.versions("toy").stream().map(CheckpointInfo::version).toList());
        assertArrayEquals(payloads[0], cs.read(cs.version("toy", "000001").orElseThrow()));
        assertTrue(cs.version("toy", "000002").isEmpty());
        assertTrue(cs.version("toy", "../x").isEmpty());
    }

    @Test
    void aCorruptedCheckpointIsRefused() throws Exception {
        ObjectStore s = store();
        CheckpointStore cs = new CheckpointStore(s, 3, true);
        CheckpointInfo info = cs.publish(new CheckpointStore.Publication("m", 1, 0, Map.of(), "tiny", 32, 16), new byte[] {1, 2, 3});
        s.put(info.key(), new byte[] {1, 2, 4});
        IOException e = assertThrows(IOException.class, () -> cs.read(info));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void anOrphanedUploadIsInvisibleToReaders() throws Exception {
        ObjectStore s = store();
        CheckpointStore cs = new CheckpointStore(s, 3, true);
        cs.publish(new CheckpointStore.Publication("m", 1, 0, Map.of(), "tiny", 32, 16), new byte[] {1});
        // A trainer that died after uploading bytes but before the sidecar: version 2 has no sidecar.
        s.put("models/m/checkpoints/000002.ckpt", new byte[] {2, 2});
        assertEquals("000001", cs.latest("m").orElseThrow().version());
        assertEquals(1, cs.versions("m").size());
        // The next publication takes a fresh number and never reuses the orphan's bytes.
        CheckpointInfo next = cs.publish(new CheckpointStore.Publication("m", 2, 0, Map.of(), "tiny", 32, 16), new byte[] {3});
        assertEquals("000003", next.version());
        assertFalse(s.exists("models/m/checkpoints/000002.ckpt"), "retention removed the orphan");
    }

    @Test
    void invalidModelNamesAreRejected() throws Exception {
        CheckpointStore cs = new CheckpointStore(store(), 1, true);
        assertThrows(IllegalArgumentException.class, () -> cs.latest("../../etc"));
    }
}
