package io.cimle.trainer;

import io.cimle.core.training.CheckpointPolicy;
import io.cimle.core.training.TrainingProgress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The service's checkpoints: every N global steps, at the very end of training, and once when asked
 * (pause with checkpoint). Not at every epoch's end: small data sets make epochs of a few seconds.
 * A request is consumed by the step that writes it, whichever reason made that step write.
 */
final class StepCheckpointPolicy implements CheckpointPolicy {
    private final long everySteps;
    private final AtomicBoolean requested;

    StepCheckpointPolicy(long everySteps, AtomicBoolean requested) {
        if (everySteps < 1) {
            throw new IllegalArgumentException("checkpoint-every-steps must be >= 1, got " + everySteps);
        }
        this.everySteps = everySteps;
        this.requested = requested;
    }

    @Override
    public boolean due(TrainingProgress progress, boolean endOfEpoch) {
        boolean asked = requested.getAndSet(false); // always read, so a request never outlives a write
        boolean finished = endOfEpoch && progress.epoch() >= progress.epochs();
        return asked || progress.globalStep() % everySteps == 0 || finished;
    }
}
