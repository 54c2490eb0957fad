package io.cimle.core.training;

/**
 * How a model under training stands at an epoch's end: does it still respond to its latent code, and does it
 * still learn? A conditional IMLE model whose samples for one layout no longer differ has collapsed to one mode
 * (the dead model a broken gradient leaves behind); one whose weights no longer move although steps are taken,
 * or whose loss climbs and keeps climbing, learns nothing or diverges. Both are cheap to see while training and
 * expensive to find after it.
 *
 * <p>"Still learns" is judged from two signs, neither of which compares the loss with epoch 0's (the rule they
 * replace, "the loss below epoch 0's from epoch 2 on", stopped a regression baseline that had converged within
 * epoch 0, because its noisy plateau, 255.2 against 250.0, was not below epoch 0: issue 36):
 * <ul>
 *   <li><b>The weights move</b> ({@link #weightsMove()}): over the epoch the weights moved, root mean square over
 *       all of them, by at least {@value #MIN_WEIGHT_MOVE} of one learning rate. Adam moves every weight that has
 *       a gradient by about the learning rate per step whatever the loss does, so a converged model on a noisy
 *       plateau, one whose loss rose after a reset, or one fed harder pairs all move by many learning rates per
 *       epoch; weights that stay put while steps are taken mean the update broke (a second moment gone
 *       infinite, gradients vanished far below Adam's epsilon). The measure is in learning rates, not a
 *       fraction of the weights, so a small learning rate is not mistaken for a frozen model. It costs a copy of
 *       the weights at the epoch's start (beside Adam's two moments) and one subtraction and norm at its end,
 *       little against an epoch's steps.</li>
 *   <li><b>The loss does not diverge</b> ({@link #diverging()}): see {@link LossTrend}, the loss rising for
 *       several epochs in a row, each more than a tenth over the epoch two before; a step up (a reset, harder
 *       pairs) or a noisy plateau does not.</li>
 * </ul>
 * A loss that is not finite, or a step without any gradient, is refused at once by the step itself
 * ({@link TrainingDivergedException}, {@link NoGradientException}); this verdict is for what those miss.
 *
 * @param epoch         the epoch just finished (0-based)
 * @param codeSpread    mean absolute difference between samples of the same probe layout drawn with different
 *                      codes, as a fraction of the 0..255 range (NaN when not measured)
 * @param meanLoss      this epoch's mean training loss
 * @param trend         the epochs' losses so far, this one included
 * @param weightMove    how far the weights moved over the epoch (or since the run resumed within it): the root
 *                      mean square of every trained weight's change, in learning rates; NaN when not measured
 * @param minCodeSpread the spread below which an IMLE model counts as not responding to its code; 0 where no
 *                      spread is expected (regression) or the collapse check is off
 * @param checked       whether the verdict counts: false turns it off ({@link ImleTrainer#setHealthCheck}), and
 *                      {@link #healthy()} always holds, the measurements are still reported
 */
public record ModelHealth(int epoch, double codeSpread, double meanLoss, LossTrend trend, double weightMove,
                          double minCodeSpread, boolean checked) {
    /** See {@link io.cimle.core.training.ImleTrainer#setMinCodeSpread}: calibrated in docs/design.md, "Reproducible training". */
    public static final double DEFAULT_MIN_CODE_SPREAD = 0.01;
    /**
     * The least root-mean-square move of the weights over an epoch, in learning rates, that counts as moving.
     * A healthy run moves by far more (one Adam step alone moves a weight with a gradient by about one learning
     * rate: the tiny test model, 3 steps an epoch, moves by 2.0 and 1.2, and longer epochs move further); frozen
     * weights move by exactly 0, and gradients scaled below Adam's epsilon (ImleTrainerTest) by 5e-6.
     */
    public static final double MIN_WEIGHT_MOVE = 0.01;

    public ModelHealth {
        trend = trend == null ? LossTrend.NONE : trend;
    }

    /**
     * Whether samples of one layout still differ with the code: always true where none is expected,
     * and after epoch 0 only, since a freshly initialised network may barely respond yet.
     */
    public boolean respondsToCode() {
        return minCodeSpread <= 0 || epoch == 0 || codeSpread >= minCodeSpread;
    }

    /** Whether the weights moved over the epoch (true when not measured). */
    public boolean weightsMove() {
        return !(weightMove < MIN_WEIGHT_MOVE);
    }

    /** Whether the loss climbs and keeps climbing (see {@link LossTrend#diverging()}). */
    public boolean diverging() {
        return trend.diverging();
    }

    /** Whether the model still learns: its weights move and its loss does not diverge. */
    public boolean learning() {
        return weightsMove() && !diverging();
    }

    /** The verdict: responds to its code and learns, or the check is off. */
    public boolean healthy() {
        return !checked || (respondsToCode() && learning());
    }

    /** The lowest epoch mean loss so far (this epoch's included; since new pairs last joined). */
    public double bestLoss() {
        return trend.best();
    }

    /** One line for logs and errors. */
    public String describe() {
        StringBuilder s = new StringBuilder("epoch ").append(epoch).append(": code spread ")
                .append(String.format("%.4f", codeSpread));
        if (minCodeSpread > 0) {
            s.append(" (min ").append(String.format("%.4f", minCodeSpread)).append(')');
        }
        s.append(", loss ").append(String.format("%.4g", meanLoss)).append(" (best ")
                .append(String.format("%.4g", bestLoss())).append(')');
        if (trend.climbing() > 0) {
            s.append(", climbing for ").append(trend.climbing()).append(trend.climbing() == 1 ? " epoch" : " epochs");
        }
        if (!Double.isNaN(weightMove)) {
            s.append(", weights moved ").append(String.format("%.3g", weightMove)).append(" learning rates");
        }
        if (!checked) {
            s.append(" (health check off)");
        } else if (!respondsToCode()) {
            s.append(": the model no longer responds to its code (every sample of a layout looks the same)");
        } else if (!weightsMove()) {
            s.append(": the weights no longer move although steps are taken (the update broke)");
        } else if (diverging()) {
            s.append(": the loss climbs and keeps climbing (").append(trend.climbing())
                    .append(" epochs in a row each over ").append(LossTrend.RISE)
                    .append(" times the epoch two before): training diverges");
        }
        return s.toString();
    }
}
