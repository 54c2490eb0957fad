package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The verdict on recorded loss sequences: its false alarms (a converged noisy plateau, a rise after a reset,
 * harder pairs) and what it must still catch (a collapsed code, frozen weights, a loss that keeps climbing).
 */
class ModelHealthTest {
    /** A weight move a healthy run makes over an epoch, in learning rates (the tiny test model moves by more). */
    private static final double MOVES = 5;

    /** The first epoch whose verdict on these epoch losses is unhealthy (weights moving, code responding), or -1. */
    private static int firstUnhealthyEpoch(double... losses) {
        LossTrend trend = LossTrend.NONE;
        for (int e = 0; e < losses.length; e++) {
            trend = trend.after(losses[e]);
            if (!new ModelHealth(e, 0.05, losses[e], trend, MOVES, 0.01, true).healthy()) {
                return e;
            }
        }
        return -1;
    }

    private static ModelHealth health(int epoch, double codeSpread, double weightMove, double minCodeSpread) {
        return new ModelHealth(epoch, codeSpread, 50, LossTrend.NONE.after(60).after(50), weightMove, minCodeSpread,
                true);
    }

    @Test
    void aCollapsedImleModelIsUnhealthyAfterTheFirstEpoch() {
        assertTrue(health(0, 0.001, MOVES, 0.01).healthy(), "epoch 0 is exempt: a fresh net barely responds");
        ModelHealth collapsed = health(3, 0.004, MOVES, 0.01);
        assertFalse(collapsed.respondsToCode());
        assertFalse(collapsed.healthy());
        assertTrue(collapsed.describe().contains("no longer responds to its code"), collapsed.describe());
        assertTrue(health(3, 0.05, MOVES, 0.01).healthy());
    }

    @Test
    void regressionIsNotExpectedToSpread() {
        assertTrue(health(5, 0.0, MOVES, 0).respondsToCode());
        assertTrue(health(5, 0.0, MOVES, 0).healthy());
    }

    /** Issue 36: the regression baseline that learned the conditional mean in epoch 0 was stopped at epoch 4. */
    @Test
    void aConvergedNoisyPlateauIsHealthy() {
        double[] run = {250.0, 255.2, 248.9, 253.0, 251.7, 254.1, 249.6, 256.0, 252.2, 250.8, 253.9, 255.5, 251.1,
            249.9, 254.6, 252.8, 250.3, 256.4, 253.3, 251.9};
        assertTrue(run[4] > run[0], "the old rule (below epoch 0's from epoch 2 on) stopped this at epoch 4");
        assertEquals(-1, firstUnhealthyEpoch(run));
    }

    /**
     * The false-alarm rate on plateaus, measured: 2,000 runs of 100 epochs each around a converged level, with
     * epoch-to-epoch noise of 3 % and 8 % (the street data set's was a few per cent), half of them after a fall
     * from a high first epoch. None is stopped.
     */
    @Test
    void noisyPlateausRaiseNoFalseAlarm() {
        Random random = new Random(36);
        for (double noise : new double[] {0.03, 0.08}) {
            int alarms = 0;
            for (int run = 0; run < 1000; run++) {
                double[] losses = new double[100];
                boolean falling = run % 2 == 0;
                for (int e = 0; e < losses.length; e++) {
                    double level = falling ? 100 + 150 * Math.exp(-e / 3.0) : 100;
                    losses[e] = level * (1 + noise * random.nextGaussian());
                }
                if (firstUnhealthyEpoch(losses) >= 0) {
                    alarms++;
                }
            }
            assertEquals(0, alarms, "false alarms out of 1000 plateaus with noise " + noise);
        }
    }

    /** The reference re-draws the noise encoder and resets Adam at the decay epoch: the loss jumps, then falls. */
    @Test
    void aRiseAfterAResetIsHealthy() {
        assertEquals(-1, firstUnhealthyEpoch(300, 200, 150, 120, 110, 105, 240, 170, 130, 112, 104, 101, 100));
        // Even a jump that goes on rising for an epoch and then stays up is not divergence.
        assertEquals(-1, firstUnhealthyEpoch(300, 200, 150, 120, 110, 105, 240, 300, 290, 305, 298, 301, 296));
    }

    /**
     * An online trainer receives harder pairs, or a reset leaves the loss higher for a while: the loss steps up
     * (twice, by 10 % to 150 % each) and stays there, noisily. 1,000 runs of 60 epochs with 3 % noise and 1,000
     * with 8 %, the trend not restarted at the steps (the trainer restarts it when new pairs join; this is the
     * harder case): none stopped at 3 %, under 5 % of them at 8 %.
     */
    @Test
    void aLossThatStepsUpAndStaysIsNotDivergence() {
        Random random = new Random(7);
        for (double noise : new double[] {0.03, 0.08}) {
            int alarms = 0;
            for (int run = 0; run < 1000; run++) {
                double step1 = 1.1 + 1.4 * random.nextDouble();
                double step2 = 1.1 + 1.4 * random.nextDouble();
                double[] losses = new double[60];
                for (int e = 0; e < losses.length; e++) {
                    double level = e < 20 ? 100 : e < 40 ? 100 * step1 : 100 * step1 * step2;
                    losses[e] = level * (1 + noise * random.nextGaussian());
                }
                if (firstUnhealthyEpoch(losses) >= 0) {
                    alarms++;
                }
            }
            if (noise < 0.05) {
                assertEquals(0, alarms, "false alarms out of 1000 runs with steps up, noise " + noise);
            } else {
                assertTrue(alarms < 50, "false alarms out of 1000 runs with steps up, noise " + noise + ": " + alarms);
            }
        }
        assertEquals(-1, firstUnhealthyEpoch(100, 98, 101, 99, 160, 158, 163, 161, 230, 233, 228, 231, 229));
    }

    @Test
    void aLossThatKeepsClimbingIsUnhealthy() {
        // Falls, then the update breaks and the loss climbs: five epochs in a row over 1.1 x the one two before.
        double[] broken = {100, 90, 85, 120, 160, 250, 400, 700, 1200};
        assertEquals(7, firstUnhealthyEpoch(broken));
        assertEquals(-1, firstUnhealthyEpoch(100, 90, 85, 120, 160, 250, 400), "four are not yet divergence");
        // A steady climb of 10 % an epoch: each epoch is 1.21 x the one two before; stopped at the climb's sixth.
        double[] climb = new double[12];
        for (int e = 0; e < climb.length; e++) {
            climb[e] = 100 * Math.pow(1.1, e);
        }
        assertEquals(6, firstUnhealthyEpoch(climb));
        LossTrend trend = LossTrend.NONE;
        for (int e = 0; e <= 7; e++) {
            trend = trend.after(broken[e]);
        }
        ModelHealth h = new ModelHealth(7, 0.05, 700, trend, MOVES, 0.01, true);
        assertEquals(5, trend.climbing());
        assertTrue(h.diverging());
        assertFalse(h.learning());
        assertFalse(h.healthy());
        assertEquals(85, h.bestLoss());
        assertTrue(h.describe().contains("climbs and keeps climbing"), h.describe());
        // An epoch that does not rise over the one two before (400) ends the climb.
        assertEquals(0, trend.after(400).climbing());
    }

    @Test
    void weightsThatDoNotMoveAreUnhealthyFromTheFirstEpoch() {
        ModelHealth frozen = health(0, 0.05, 0.0, 0.01);
        assertFalse(frozen.weightsMove());
        assertFalse(frozen.healthy());
        assertTrue(frozen.describe().contains("weights no longer move"), frozen.describe());
        assertFalse(health(4, 0.0, 1e-4, 0).healthy(), "a regression model's weights must move too");
        assertTrue(health(4, 0.05, ModelHealth.MIN_WEIGHT_MOVE, 0.01).healthy());
        assertTrue(health(4, 0.05, Double.NaN, 0.01).weightsMove(), "not measured is not frozen");
    }

    @Test
    void theSwitchTurnsTheVerdictOffButStillReports() {
        LossTrend climbing = LossTrend.NONE;
        for (double l : new double[] {100, 120, 140, 170, 200, 240, 290}) {
            climbing = climbing.after(l);
        }
        ModelHealth everythingWrong = new ModelHealth(6, 0.0, 290, climbing, 0.0, 0.01, false);
        assertFalse(everythingWrong.respondsToCode());
        assertFalse(everythingWrong.weightsMove());
        assertTrue(everythingWrong.diverging());
        assertTrue(everythingWrong.healthy(), "off: healthy whatever is measured");
        assertTrue(everythingWrong.describe().contains("health check off"), everythingWrong.describe());
    }
}
