package io.cimle.core.training;

/** Training stopped because the model stopped responding to its code or learning (see {@link ModelHealth}). */
public final class DeadModelException extends RuntimeException {
    private final ModelHealth health;

    public DeadModelException(ModelHealth health) {
        super("training stopped at " + health.describe() + ". Lower the learning rate, or resume from a "
                + "checkpoint written before this epoch (or, where the verdict is wrong, turn the health check off).");
        this.health = health;
    }

    public ModelHealth health() {
        return health;
    }
}
