package io.cimle.core.training;

/**
 * A gradient step reached no parameter: every gradient was exactly zero, so the update changed
 * nothing. With a pixel-wise distance this never happens legitimately; training that went on would
 * be stuck without saying so (it was seen twice on CPU, from some step on, without a known cause).
 * The trainer stops instead; resuming from the last checkpoint in a fresh trainer recovers.
 */
public final class NoGradientException extends RuntimeException {
    private final int epoch;
    private final long step;

    public NoGradientException(int epoch, long step, String detail) {
        super("no gradient reached the generator at epoch " + epoch + ", global step " + step + " (" + detail
                + "); the parameters did not change. Resume from the last checkpoint.");
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }
}
