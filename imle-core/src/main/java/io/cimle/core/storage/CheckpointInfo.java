package io.cimle.core.storage;

import java.util.Map;

/**
 * What the store knows of one published checkpoint (the sidecar written after a verified upload).
 *
 * @param version sortable version string: a zero-padded sequence number per model
 * @param key     object key of the checkpoint bytes
 * @param uri     where the bytes lie, for people and for {@code CheckpointEvent.uri}
 */
public record CheckpointInfo(String modelName, String version, long step, int epoch, String sha256, long sizeBytes,
        String key, String uri, long createdAtMs, Map<String, Double> metrics, String preset, int width, int height) {

    public CheckpointInfo {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
