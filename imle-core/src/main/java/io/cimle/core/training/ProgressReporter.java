package io.cimle.core.training;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress output: a log line every N steps (epoch, step, loss, selection vs update time, ETA),
 * and on an interactive terminal a one-line bar redrawn in place with {@code \r}. Hand-written:
 * a bar is twenty lines, not worth a dependency with a terminal library behind it.
 */
public final class ProgressReporter implements TrainingListener {
    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final int everySteps;
    private final boolean interactive;
    private final long started = System.nanoTime();
    private long firstStep = -1;
    private double lossSum;
    private int lossCount;
    private long lastDraw;

    /**
     * @param everySteps  log-line interval in steps (>= 1)
     * @param interactive redraw a bar with \r (pass {@code System.console() != null})
     */
    public ProgressReporter(PrintStream out, int everySteps, boolean interactive) {
        if (everySteps < 1) {
            throw new IllegalArgumentException("progress interval must be >= 1 step, got " + everySteps);
        }
        this.out = out;
        this.everySteps = everySteps;
        this.interactive = interactive;
    }

    public static ProgressReporter forConsole(PrintStream out, int everySteps) {
        return new ProgressReporter(out, everySteps, System.console() != null);
    }

    @Override
    public void onStep(TrainingProgress p, long step, double loss, double selectionMs, double updateMs) {
        if (firstStep < 0) {
            firstStep = step - 1;
        }
        lossSum += loss;
        lossCount++;
        String eta = formatDuration(eta(p, step));
        if (step % everySteps == 0 || step == p.totalSteps()) {
            clearBar();
            out.printf(Locale.ROOT, "epoch %d/%d step %d/%d (global %d/%d) loss %.4f (mean of last %d) "
                            + "selection %.0f ms/epoch update %.1f ms/step lr %.2g ETA %s%n",
                    p.epoch() + (p.stepInEpoch() == 0 ? 0 : 1), p.epochs(),
                    p.stepInEpoch() == 0 ? p.steps() : p.stepInEpoch(), p.steps(), step,
                    p.totalSteps(), lossSum / lossCount, lossCount, selectionMs, updateMs, p.learningRate(), eta);
            lossSum = 0;
            lossCount = 0;
        }
        long now = System.nanoTime();
        if (interactive && now - lastDraw > REDRAW_NANOS) {
            lastDraw = now;
            double fraction = step / (double) p.totalSteps();
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            out.printf(Locale.ROOT, "\r[%s%s] %5.1f%% step %d/%d loss %.4f ETA %s ", "#".repeat(filled),
                    ".".repeat(BAR_WIDTH - filled), 100 * fraction, step, p.totalSteps(), loss, eta);
            out.flush();
        }
    }

    @Override
    public void onEpoch(TrainingProgress p, int epoch, double meanLoss) {
        clearBar();
        out.printf(Locale.ROOT, "epoch %d done: mean loss %.4f%n", epoch + 1, meanLoss);
    }

    @Override
    public void onCheckpoint(TrainingProgress p, String where) {
        clearBar();
        out.printf(Locale.ROOT, "checkpoint at step %d: %s%n", p.globalStep(), where);
    }

    /** Seconds left, from the mean time per step so far in this process (selection included). */
    double eta(TrainingProgress p, long step) {
        long done = step - firstStep;
        double perStep = (System.nanoTime() - started) / 1e9 / Math.max(1, done);
        return perStep * (p.totalSteps() - step);
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private void clearBar() {
        if (interactive) {
            out.print("\r" + " ".repeat(BAR_WIDTH + 60) + "\r");
        }
    }
}
