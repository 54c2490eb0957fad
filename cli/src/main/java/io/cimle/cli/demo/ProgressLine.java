package io.cimle.cli.demo;

import java.util.Locale;

/**
 * A progress bar on a terminal (one line redrawn with \r), plain lines when output goes to a log
 * (at most one every few seconds, so logs stay readable).
 */
public final class ProgressLine {
    private static final int WIDTH = 30;
    private final boolean terminal;
    private long lastPrinted;

    public ProgressLine(boolean terminal) {
        this.terminal = terminal;
    }

    public void show(double fraction, String text) {
        double f = Math.max(0, Math.min(1, fraction));
        if (terminal) {
            int filled = (int) Math.round(f * WIDTH);
            System.out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                    + String.format(Locale.ROOT, "%3.0f%% ", f * 100) + text + "   ");
            System.out.flush();
        } else if (System.currentTimeMillis() - lastPrinted > 5000 || f >= 1) {
            System.out.println(String.format(Locale.ROOT, "    %3.0f%% ", f * 100) + text);
            lastPrinted = System.currentTimeMillis();
        }
    }

    public void done() {
        if (terminal) {
            System.out.println();
        }
    }
}
