package io.cimle.core.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileSystemObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    ObjectStore store() throws Exception {
        return new FileSystemObjectStore(dir);
    }

    /** The trainer lists its pairs while the ingest consumer writes more: listing must not fail. */
    @org.junit.jupiter.api.Test
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
        org.junit.jupiter.api.Assertions.assertEquals(400, s.list("pairs/").size());
        org.junit.jupiter.api.Assertions.assertTrue(lists > 0);
    }

    /** A writer killed mid-upload leaves a temporary file: it is invisible, and swept once it is old. */
    @org.junit.jupiter.api.Test
    void orphanedUploadsAreSweptWhenOldAndNeverListed() throws Exception {
        FileSystemObjectStore s = new FileSystemObjectStore(dir);
        s.put("checkpoints/a.ckpt", new byte[16]);
        Path old = dir.resolve("checkpoints/b.ckpt.1234.5.tmp-upload");
        Path fresh = dir.resolve("checkpoints/c.ckpt.1234.6.tmp-upload");
        java.nio.file.Files.write(old, new byte[8]);
        java.nio.file.Files.write(fresh, new byte[8]);
        java.nio.file.Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(2))));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("checkpoints/a.ckpt"), s.list(""));

        new FileSystemObjectStore(dir); // opening sweeps
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(old), "old orphan swept");
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.exists(fresh), "a live writer's file is kept");
        org.junit.jupiter.api.Assertions.assertTrue(s.exists("checkpoints/a.ckpt"));
        org.junit.jupiter.api.Assertions.assertEquals(1, s.sweepOrphanedUploads(java.time.Duration.ZERO));
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(fresh));
    }
}
