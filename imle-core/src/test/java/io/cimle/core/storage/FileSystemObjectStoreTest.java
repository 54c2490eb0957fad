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
