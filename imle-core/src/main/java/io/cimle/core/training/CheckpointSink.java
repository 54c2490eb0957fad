package io.cimle.core.training;

import io.cimle.core.model.Checkpoint;

/** Where snapshots go (a file, a {@code CheckpointStore}); returns where it went, for listeners. */
@FunctionalInterface
public interface CheckpointSink {
    String write(Checkpoint checkpoint, TrainingProgress progress) throws Exception;
}
