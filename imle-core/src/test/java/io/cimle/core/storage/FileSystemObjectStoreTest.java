package io.cimle.core.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    ObjectStore store() throws Exception {
        return new FileSystemObjectStore(dir);
    }

    /** The trainer lists its pairs while the ingest consumer writes more: listing must not fail. */
    @Test
    void listingWhileAnotherThreadWrites() throws Exception {
        ObjectStore s = store();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 400; i++) {
                    s.put("pairs/" + i + ".pb", new byte[2048]);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        int lists = 0;
        while (writer.isAlive()) {
            s.list("pairs/");
            lists++;
        }
        writer.join();
        Assertions.assertEquals(400, s.list("pairs/").size());
        Assertions.assertTrue(lists > 0);
    }

    /**
     * Compare-and-set without a lock: each value a generation beside the key, a bounded few kept, the key listed
     * once, read as its newest; a plain file from before (a store of earlier versions) is generation 0.
     */
    @Test
    void conditionalWritesKeepAFewGenerationsAndReadTheNewest() throws Exception {
        FileSystemObjectStore s = new FileSystemObjectStore(dir);
        s.put("m/LATEST", new byte[] {0}); // as a store from before generations holds it
        Files.writeString(dir.resolve(".conditional-writes.lock"), ""); // and its lock file
        for (int i = 1; i <= 20; i++) {
            ObjectStore.Tagged seen = s.getTagged("m/LATEST").orElseThrow();
            Assertions.assertEquals(i - 1, seen.bytes()[0]);
            Assertions.assertTrue(s.putIf("m/LATEST", new byte[] {(byte) i}, seen.tag()), "move " + i);
            Assertions.assertFalse(s.putIf("m/LATEST", new byte[] {99}, seen.tag()), "a stale tag " + i);
        }
        Assertions.assertArrayEquals(new byte[] {20}, s.getBytes("m/LATEST").orElseThrow());
        Assertions.assertEquals(1, s.size("m/LATEST"));
        Assertions.assertTrue(s.exists("m/LATEST"));
        Assertions.assertEquals(List.of("m/LATEST"), s.list(""), "one key, however many generations");
        try (var files = Files.list(dir.resolve("m/LATEST" + FileSystemObjectStore.GENERATIONS))) {
            Assertions.assertTrue(files.count() <= 8, "old generations are pruned");
        }
        Assertions.assertFalse(Files.exists(dir.resolve("m/LATEST")), "the plain file from before is superseded");
        s.put("m/LATEST", new byte[] {21}); // an unconditional write after: a generation too
        Assertions.assertArrayEquals(new byte[] {21}, s.getBytes("m/LATEST").orElseThrow());
        s.delete("m/LATEST");
        Assertions.assertFalse(s.exists("m/LATEST"));
        Assertions.assertTrue(s.list("").isEmpty());
        Assertions.assertTrue(s.putIf("m/LATEST", new byte[] {1}, null), "absent again: created");
        Assertions.assertThrows(IllegalArgumentException.class, () -> s.put("x.generations/y", new byte[1]));
    }

    /** A writer killed mid-upload leaves a temporary file: it is invisible, and swept once it is old. */
    @Test
    void orphanedUploadsAreSweptWhenOldAndNeverListed() throws Exception {
        FileSystemObjectStore s = new FileSystemObjectStore(dir);
        s.put("checkpoints/a.ckpt", new byte[16]);
        Path old = dir.resolve("checkpoints/b.ckpt.1234.5.tmp-upload");
        Path fresh = dir.resolve("checkpoints/c.ckpt.1234.6.tmp-upload");
        Files.write(old, new byte[8]);
        Files.write(fresh, new byte[8]);
        Files.setLastModifiedTime(old, FileTime.from(
                Instant.now().minus(Duration.ofHours(2))));
        Assertions.assertEquals(List.of("checkpoints/a.ckpt"), s.list(""));

        new FileSystemObjectStore(dir); // opening sweeps
        Assertions.assertFalse(Files.exists(old), "old orphan swept");
        Assertions.assertTrue(Files.exists(fresh), "a live writer's file is kept");
        Assertions.assertTrue(s.exists("checkpoints/a.ckpt"));
        Assertions.assertEquals(1, s.sweepOrphanedUploads(Duration.ZERO));
        Assertions.assertFalse(Files.exists(fresh));
    }
}
