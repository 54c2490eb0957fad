package io.cimle.generator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The versions requests pinned by name, least recently used first: at most {@code capacity} stay loaded,
 * and the one pushed out is released (its native memory goes once no request uses it). Not thread-safe:
 * {@link ModelRegistry} guards it.
 */
final class PinnedVersions {
    private final int capacity;
    private final Map<String, LoadedModel> byVersion = new LinkedHashMap<>(8, 0.75f, true);

    PinnedVersions(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    /** The model of this version, counted as used now; null when not held. */
    LoadedModel get(String version) {
        return byVersion.get(version);
    }

    /** Holds a freshly loaded model, releasing the least recently used ones beyond the capacity. */
    void put(LoadedModel model) {
        LoadedModel replaced = byVersion.put(model.version(), model);
        if (replaced != null && replaced != model) {
            replaced.release();
        }
        while (byVersion.size() > capacity) {
            String eldest = byVersion.keySet().iterator().next();
            byVersion.remove(eldest).release();
        }
    }

    boolean holds(String version) {
        return byVersion.containsKey(version);
    }

    /** Releases every held model. */
    void clear() {
        byVersion.values().forEach(LoadedModel::release);
        byVersion.clear();
    }
}
