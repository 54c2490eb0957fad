package io.cimle.core.training;

/**
 * The loss became NaN or infinite. Training stops before the next update, so no poisoned
 * parameters reach a checkpoint; the last checkpoint written stays the one to resume from.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final long step;
    private final double loss;

    public TrainingDivergedException(int epoch, long step, double loss, String hint) {
        super("training diverged at epoch " + epoch + ", global step " + step + ": loss is " + loss
                + " (not finite); no update was applied and no checkpoint written. " + hint);
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
    }

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }
}
