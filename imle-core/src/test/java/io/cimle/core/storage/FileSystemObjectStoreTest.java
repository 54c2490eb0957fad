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
}
