package io.cimle.core.training;

/**
 * The loss half of {@link ModelHealth}: whether a training diverges, judged from its epochs' mean losses.
 *
 * <p>The rule: a training diverges once {@value #CLIMBING_EPOCHS} epochs in a row each have a mean loss more
 * than {@value #RISE} times the mean of the epoch two before: the loss climbs, keeps climbing, and by about a
 * quarter at least over those epochs. Why so, and not "below epoch 0's" (the rule before, issue 36): an epoch's
 * mean loss is taken over a fresh random subset of the data, so on a converged model it moves by a few per cent
 * from epoch to epoch (a regression baseline that learned the conditional mean within epoch 0 went 250.0,
 * 255.2, 248.9, 253.0, ... and was stopped as dead). The loss also steps up when the method changes something
 * itself (the reference re-draws the noise encoder and resets Adam at the decay epoch) or when an online trainer
 * receives harder pairs, and may stay up: a comparison with the best epoch, or with the first, would stop such a
 * run. A step up, however large, makes at most two epochs in a row rise over the epoch two before; the noise of a
 * plateau seldom makes one; a loss that a broken update drives up makes one epoch after another. Measured in
 * {@code ModelHealthTest} on simulated epoch losses: no alarm in 100-epoch plateaus with 3 % or 8 % noise, none
 * in runs that step up by 10-150 % with 3 % noise, a few per cent with 8 %; a climb of 10 % an epoch stops at
 * its sixth epoch, a faster one at its fifth. Losses measured on other data are not compared at all: the trainer
 * starts the trend again ({@link #NONE}) when new pairs join ({@link ImleTrainer#continueWith}). Whether the
 * weights move at all is the other half, see {@link ModelHealth}.
 *
 * @param best     the lowest epoch mean so far (NaN before the first epoch), reported
 * @param previous the latest epoch's mean (NaN before the first)
 * @param twoBack  the mean of the epoch before that (NaN before the second)
 * @param climbing how many of the latest epochs in a row each rose more than {@value #RISE} times over the
 *                 epoch two before
 */
public record LossTrend(double best, double previous, double twoBack, int climbing) {
    /** Epochs in a row that must each rise over the epoch two before. */
    public static final int CLIMBING_EPOCHS = 5;
    /** How much an epoch's mean must exceed the mean two epochs before to count as climbing. */
    public static final double RISE = 1.1;
    /** No epoch seen yet. */
    public static final LossTrend NONE = new LossTrend(Double.NaN, Double.NaN, Double.NaN, 0);

    public LossTrend {
        if (climbing < 0) {
            throw new IllegalArgumentException("climbing epochs must be >= 0, got " + climbing);
        }
    }

    /** The trend after one more epoch whose mean loss was {@code meanLoss} (a non-finite mean changes nothing). */
    public LossTrend after(double meanLoss) {
        if (!Double.isFinite(meanLoss)) {
            return this; // a step refuses a non-finite loss long before; nothing to compare here
        }
        boolean rose = meanLoss > RISE * twoBack; // false while twoBack is NaN
        return new LossTrend(Double.isNaN(best) ? meanLoss : Math.min(best, meanLoss), meanLoss, previous,
                rose ? climbing + 1 : 0);
    }

    /**
     * Whether the loss climbs and keeps climbing: {@value #CLIMBING_EPOCHS} epochs in a row each more than
     * {@value #RISE} times the epoch two before.
     */
    public boolean diverging() {
        return climbing >= CLIMBING_EPOCHS;
    }
}
