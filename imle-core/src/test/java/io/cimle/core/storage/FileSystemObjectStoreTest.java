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
}
