package io.cimle.service.model;

import io.cimle.core.model.ComputeDevice;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Which model a service trains or serves ({@code cimle.model.*}), shared by both services so a trainer
 * and its generators cannot disagree on a key. Every key can be set by environment variable
 * ({@code CIMLE_MODEL_DEVICE}...).
 */
@ConfigMapping(prefix = "cimle.model")
public interface ModelSettings {
    /** Model name: the key on the checkpoints topic and the folder in object storage. */
    @WithDefault("toy")
    String name();

    /**
     * cpu or gpu. gpu fails at start-up when libtorch finds no CUDA device (never a silent fall back to the
     * CPU); anything else names the valid values.
     */
    @WithDefault("cpu")
    ComputeDevice device();

    /**
     * Label set: toy-scenes, cityscapes, or a palette registered by {@link #labelsFile()}. The trainer decodes
     * training layouts with it and stores it in every checkpoint; a generator uses it only for checkpoints
     * that name none.
     */
    @WithDefault("toy-scenes")
    String labels();

    /** Optional path to a user palette JSON ({"name":..,"classes":[{"name":..,"color":[r,g,b]}]}). */
    Optional<String> labelsFile();

    /**
     * Samples one no-grad forward runs at once (sampling, selection); larger batches run as chunks of
     * this size, so per-sample cost never grows with the batch. Unset (the default): the generator
     * measures it when it loads a model (the batch up to max-batch with the least time per sample); the
     * trainer takes the largest power of two whose activations fit the CPU's last-level cache (whole
     * batches on a GPU). 0 never splits.
     */
    Optional<Integer> inferenceChunk();

    /** Generator only: how many model versions stay loaded (the latest plus pinned ones, least recently used dropped). */
    @WithDefault("3")
    int cacheSize();
}
