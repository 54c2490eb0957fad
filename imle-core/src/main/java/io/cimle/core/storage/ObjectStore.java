package io.cimle.core.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A flat key/value blob store: the local filesystem or an S3-compatible service. Keys use '/' as
 * separator. A {@link #put} is atomic for readers: they see the old value or the whole new one.
 */
public interface ObjectStore extends AutoCloseable {

    /** Writes the whole stream under key, replacing any previous value atomically. */
    void put(String key, InputStream content, long length) throws IOException;

    default void put(String key, byte[] content) throws IOException {
        put(key, new ByteArrayInputStream(content), content.length);
    }

    /** The value's bytes, or empty if the key does not exist. */
    Optional<InputStream> get(String key) throws IOException;

    default Optional<byte[]> getBytes(String key) throws IOException {
        Optional<InputStream> in = get(key);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream s = in.get()) {
            return Optional.of(s.readAllBytes());
        }
    }

    boolean exists(String key) throws IOException;

    /** Size in bytes, or -1 if the key does not exist. */
    long size(String key) throws IOException;

    /** Keys starting with prefix, sorted. */
    List<String> list(String prefix) throws IOException;

    void delete(String key) throws IOException;

    /** A URI naming the key for people and for other processes ("file:///...", "s3://bucket/key"). */
    String uri(String key);

    @Override
    default void close() {
    }

    static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.contains("..") || key.contains("\\")) {
            throw new IllegalArgumentException("invalid object key '" + key + "': relative, '/'-separated, no '..'");
        }
    }
}
