package io.cimle.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;

/** Medians, percentiles, repeat loops and log-log slopes: the arithmetic every section shares. */
final class Stats {
    private Stats() {
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    /** Nearest-rank percentile (p in 0..100) of a non-empty list. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values for a percentile");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (p <= 50 && sorted.length % 2 == 0 && p == 50) {
            return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Runs {@code warmup} untimed calls, then timed ones until at least {@code minRepeats} ran and
     * {@code budgetMs} passed, or {@code maxRepeats} ran. The task returns its own time in ms (so it
     * can leave input preparation out of the measurement).
     */
    static List<Double> repeat(Repeats r, DoubleSupplier task) {
        for (int i = 0; i < r.warmup(); i++) {
            task.getAsDouble();
        }
        List<Double> times = new ArrayList<>();
        long start = System.nanoTime();
        while (times.size() < r.max()
                && (times.size() < r.min() || (System.nanoTime() - start) / 1e6 < r.budgetMs())) {
            times.add(task.getAsDouble());
        }
        return times;
    }

    static double msSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    /** Least-squares slope of log(y) on log(x): y ~ x^slope. NaN with fewer than two usable points. */
    static double logLogSlope(double[] x, double[] y) {
        double[] lx = new double[x.length];
        double[] ly = new double[y.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0 && y[i] > 0) {
                lx[n] = Math.log(x[i]);
                ly[n] = Math.log(y[i]);
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double mx = Arrays.stream(lx, 0, n).average().orElseThrow();
        double my = Arrays.stream(ly, 0, n).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (lx[i] - mx) * (ly[i] - my);
            sxx += (lx[i] - mx) * (lx[i] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** How many times to run a measured task. */
    record Repeats(int warmup, int min, int max, double budgetMs) {
        Repeats {
            if (warmup < 0 || min < 1 || max < min || budgetMs < 0) {
                throw new IllegalArgumentException("bad repeats: warmup " + warmup + ", min " + min + ", max " + max
                        + ", budget " + budgetMs + " ms");
            }
        }
    }
}
