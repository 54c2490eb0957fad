package io.cimle.core.training;

/**
 * How a model under training stands at an epoch's end: does it still respond to its latent code,
 * and has its loss fallen below the first epoch's? A conditional IMLE model whose samples for one
 * layout no longer differ has collapsed to one mode (the dead model a broken gradient leaves
 * behind); one whose loss never falls learns nothing. Both are cheap to see while training and
 * expensive to find after it.
 *
 * @param epoch          the epoch just finished (0-based)
 * @param codeSpread     mean absolute difference between samples of the same probe layout drawn
 *                       with different codes, as a fraction of the 0..255 range (NaN when not measured)
 * @param meanLoss       this epoch's mean training loss
 * @param firstEpochLoss epoch 0's mean training loss
 * @param minCodeSpread  the spread below which an IMLE model counts as not responding to its code;
 *                       0 where no spread is expected (regression)
 */
public record ModelHealth(int epoch, double codeSpread, double meanLoss, double firstEpochLoss, double minCodeSpread) {
    /** See {@link io.cimle.core.training.ImleTrainer#setMinCodeSpread}: calibrated in docs/design.md, "Reproducible training". */
    public static final double DEFAULT_MIN_CODE_SPREAD = 0.01;

    /**
     * Whether samples of one layout still differ with the code: always true where none is expected,
     * and after epoch 0 only, since a freshly initialised network may barely respond yet.
     */
    public boolean respondsToCode() {
        return minCodeSpread <= 0 || epoch == 0 || codeSpread >= minCodeSpread;
    }

    /**
     * Whether the loss has fallen below the first epoch's; judged from epoch 2 on, so that one noisy
     * short epoch right after the first does not count. A model whose weights froze stays at its first level.
     */
    public boolean lossFalling() {
        return epoch < 2 || meanLoss < firstEpochLoss;
    }

    public boolean healthy() {
        return respondsToCode() && lossFalling();
    }

    /** One line for logs and errors. */
    public String describe() {
        StringBuilder s = new StringBuilder("epoch ").append(epoch).append(": code spread ")
                .append(String.format("%.4f", codeSpread));
        if (minCodeSpread > 0) {
            s.append(" (min ").append(String.format("%.4f", minCodeSpread)).append(')');
        }
        s.append(", loss ").append(String.format("%.4g", meanLoss)).append(" vs ")
                .append(String.format("%.4g", firstEpochLoss)).append(" in epoch 0");
        if (!respondsToCode()) {
            s.append(": the model no longer responds to its code (every sample of a layout looks the same)");
        } else if (!lossFalling()) {
            s.append(": the loss has not fallen since the first epoch");
        }
        return s.toString();
    }
}
