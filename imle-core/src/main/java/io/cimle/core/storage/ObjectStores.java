package io.cimle.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/** Chooses the object store from configuration: "filesystem" (the default for local runs) or "s3". */
public final class ObjectStores {
    private ObjectStores() {
    }

    public static ObjectStore create(String kind, Path root, Supplier<S3Settings> s3) {
        switch (kind == null ? "filesystem" : kind.trim().toLowerCase(Locale.ROOT)) {
            case "filesystem", "file", "fs" -> {
                try {
                    return new FileSystemObjectStore(root);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot use " + root + " as object store", e);
                }
            }
            case "s3" -> {
                return new S3ObjectStore(s3.get());
            }
            default -> throw new IllegalArgumentException("unknown storage kind '" + kind + "': use filesystem or s3");
        }
    }
}
