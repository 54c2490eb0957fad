package io.cimle.core.storage;

import java.util.Map;

/**
 * What the store knows of one published checkpoint (the sidecar written after a verified upload).
 *
 * @param version sortable version string: a zero-padded sequence number per model
 * @param key     object key of the checkpoint bytes
 * @param uri     where the bytes lie, for people and for {@code CheckpointEvent.uri}
 * @param term    the publishing trainer's leadership term (its fencing token); 0 in sidecars written before terms
 */
public record CheckpointInfo(String modelName, String version, long step, int epoch, String sha256, long sizeBytes,
        String key, String uri, long createdAtMs, Map<String, Double> metrics, String preset, int width, int height,
        long term) {

    public CheckpointInfo {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** Newer in (term, step): the order LATEST only moves forward in, and generators switch in. */
    public boolean newerThan(long otherTerm, long otherStep) {
        return term != otherTerm ? term > otherTerm : step > otherStep;
    }
}
