package io.cimle.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    void conditionalWritesCreateOnceAndReplaceOnlyTheValueSeen() throws Exception {
        ObjectStore s = store();
        assertTrue(s.putIf("c/k", new byte[] {1}, null), "absent: created");
        assertFalse(s.putIf("c/k", new byte[] {2}, null), "present: not created again");
        ObjectStore.Tagged seen = s.getTagged("c/k").orElseThrow();
        assertArrayEquals(new byte[] {1}, seen.bytes());
        assertFalse(s.putIf("c/k", new byte[] {2}, "\"not-the-tag\""), "another tag: nothing written");
        assertTrue(s.putIf("c/k", new byte[] {2}, seen.tag()), "the value seen: replaced");
        assertFalse(s.putIf("c/k", new byte[] {3}, seen.tag()), "a stale tag: nothing written");
        assertArrayEquals(new byte[] {2}, s.getBytes("c/k").orElseThrow());
        assertTrue(s.getTagged("c/none").isEmpty());
    }

    @Test
    void ofWritersRacingToCreateAKeyExactlyOneWins() throws Exception {
        ObjectStore s = store();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> won = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int w = 0; w < writers; w++) {
                byte[] mine = {(byte) w};
                won.add(pool.submit(() -> {
                    go.await();
                    return s.putIf("race/k", mine, null);
                }));
            }
            go.countDown();
            int winners = 0;
            for (var f : won) {
                winners += f.get() ? 1 : 0;
            }
            assertEquals(1, winners, "one writer created the key");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStaleTermPublishesNothingAndLatestNeverGoesBack() throws Exception {
        ObjectStore s = store();
        CheckpointStore cs = new CheckpointStore(s, 10, true);
        long first = cs.claimTerm("fenced", "trainer-a");
        long second = cs.claimTerm("fenced", "trainer-b");
        assertEquals(first + 1, second, "terms only grow, one per claim");
        CheckpointInfo b = cs.publish(publication("fenced", 500, second), new byte[] {1, 2});
        assertEquals(second, cs.latest("fenced").orElseThrow().term());
        List<String> before = s.list("models/fenced/checkpoints/");
        CheckpointStore.StaleTermException stale = assertThrows(CheckpointStore.StaleTermException.class,
                () -> cs.publish(publication("fenced", 9000, first), new byte[] {3}), "a higher step under an older term");
        assertEquals(second, stale.newest());
        assertEquals(before, s.list("models/fenced/checkpoints/"), "nothing of the stale publication is left");
        assertEquals(b.version(), cs.latest("fenced").orElseThrow().version(), "LATEST did not go back");
        // A claimed term fences its predecessor before the new leader has published anything.
        long third = cs.claimTerm("fenced", "trainer-c");
        assertThrows(CheckpointStore.StaleTermException.class, () -> cs.publish(publication("fenced", 600, second), new byte[] {4}));
        assertEquals(third, cs.publish(publication("fenced", 100, third), new byte[] {5}).term(), "a lower step, a newer term");
        assertEquals(third, cs.latest("fenced").orElseThrow().term());
    }

    @Test
    void publishersRacingForOneVersionNumberNeverOverwriteEachOther() throws Exception {
        ObjectStore s = store();
        CheckpointStore cs = new CheckpointStore(s, 50, true);
        long term = cs.claimTerm("race", "both");
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<CheckpointInfo>> done = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int w = 0; w < writers; w++) {
                long step = 100 + w;
                done.add(pool.submit(() -> {
                    go.await();
                    return cs.publish(publication("race", step, term), new byte[] {(byte) step});
                }));
            }
            go.countDown();
            Set<String> versions = new TreeSet<>();
            for (var f : done) {
                CheckpointInfo info = f.get();
                versions.add(info.version());
                assertArrayEquals(new byte[] {(byte) info.step()}, cs.read(info), "each version holds its own bytes");
            }
            assertEquals(writers, versions.size(), "every publisher got a version of its own: " + versions);
            assertEquals(103, cs.latest("race").orElseThrow().step(), "LATEST holds the highest step");
        } finally {
            pool.shutdownNow();
        }
    }

    private static CheckpointStore.Publication publication(String model, long step, long term) {
        return new CheckpointStore.Publication(model, step, 1, Map.of(), "tiny", 32, 16, term);
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
