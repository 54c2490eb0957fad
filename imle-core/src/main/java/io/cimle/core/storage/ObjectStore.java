package io.cimle.core.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A flat key/value blob store: the local filesystem or an S3-compatible service. Keys use '/' as
 * separator. A {@link #put} is atomic for readers: they see the old value or the whole new one.
 * {@link #putIf} is a compare-and-set for the few objects that several writers may race for (a version's
 * sidecar, {@code LATEST}, a leadership term): the fencing of {@link CheckpointStore} rests on it.
 */
public interface ObjectStore extends AutoCloseable {

    /** A value and the tag a conditional write compares against (an S3 ETag; a content hash on the filesystem). */
    record Tagged(byte[] bytes, String tag) {
    }

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

    /** The value and its tag, or empty if the key does not exist. */
    Optional<Tagged> getTagged(String key) throws IOException;

    /**
     * Writes {@code content} under key only if the key still holds the value tagged {@code expectedTag}, or
     * with {@code expectedTag} null only if the key does not exist; atomically with respect to every other
     * {@code putIf} on the key. Returns false, writing nothing, when the key holds something else.
     */
    boolean putIf(String key, byte[] content, String expectedTag) throws IOException;

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
