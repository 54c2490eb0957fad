package io.cimle.core.training;

/** Side work of the loop (progress output, metrics, checkpoints) hangs here; all methods optional. */
public interface TrainingListener {

    /**
     * After each gradient step.
     *
     * @param step        global step, 1-based, over all epochs
     * @param loss        the step's mean loss
     * @param selectionMs time this epoch spent selecting codes (constant within an epoch)
     * @param updateMs    time of this step (forward, backward, Adam)
     */
    default void onStep(TrainingProgress progress, long step, double loss, double selectionMs, double updateMs) {
    }

    /** After an epoch's last step, with its mean loss. */
    default void onEpoch(TrainingProgress progress, int epoch, double meanLoss) {
    }

    /** After each epoch's end, once its health was measured (a listener may stop the run by throwing). */
    default void onHealth(TrainingProgress progress, ModelHealth health) {
    }

    /**
     * Stops training with a {@link DeadModelException} once the model no longer responds to its code, its weights
     * no longer move or its loss diverges (see {@link ModelHealth}; the CLI's and the bench's choice, the service
     * warns and sets a metric). Never stops a trainer whose check is off ({@link ImleTrainer#setHealthCheck}).
     */
    static TrainingListener stopWhenUnhealthy() {
        return new TrainingListener() {
            @Override
            public void onHealth(TrainingProgress progress, ModelHealth health) {
                if (!health.healthy()) {
                    throw new DeadModelException(health);
                }
            }
        };
    }

    /** After a checkpoint was written (and published, if the sink publishes). */
    default void onCheckpoint(TrainingProgress progress, String where) {
    }
}
