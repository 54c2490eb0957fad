package io.cimle.core.training;

/** When the trainer snapshots itself. */
@FunctionalInterface
public interface CheckpointPolicy {
    /** Asked after every step; {@code endOfEpoch} when that step finished an epoch. */
    boolean due(TrainingProgress progress, boolean endOfEpoch);

    static CheckpointPolicy never() {
        return (p, end) -> false;
    }

    /** At each epoch's end and every {@code steps} global steps. */
    static CheckpointPolicy everySteps(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1 step, got " + steps);
        }
        return (p, end) -> end || p.globalStep() % steps == 0;
    }
}
