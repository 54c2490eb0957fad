package io.cimle.core.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Draws training examples. Rebalanced (paper section 3.7): cycles over a few frequent classes and,
 * for the current class, draws an image by inverse CDF of that class's rarity over images, so rare
 * appearances come up more often. Uniform: every example equally likely. Draw t depends only on
 * (seed, t), so the state is two numbers and a resumed run continues the same sequence.
 */
public final class DatasetSampler {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Serialised form: ids, the cycled classes with one CDF each (empty for uniform), seed and draws so far. */
    public record State(List<String> ids, int[] cycleClasses, List<double[]> cdfs, long seed, long drawn) {
    }

    private final List<String> ids;
    private final int[] cycle;
    private final List<double[]> cdfs;
    private final long seed;
    private long drawn;

    private DatasetSampler(List<String> ids, int[] cycle, List<double[]> cdfs, long seed, long drawn) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a sampler needs at least one example");
        }
        this.ids = List.copyOf(ids);
        this.cycle = cycle.clone();
        this.cdfs = List.copyOf(cdfs);
        this.seed = seed;
        this.drawn = drawn;
    }

    public static DatasetSampler uniform(List<String> ids, long seed) {
        return new DatasetSampler(ids, new int[0], List.of(), seed, 0);
    }

    /**
     * @param cycleClasses classes to cycle over; empty = the {@code defaultCount} classes present in most
     *                     images (among those with a KDE), e.g. road, building, sky, void, sidewalk
     */
    public static DatasetSampler rebalanced(RarityStatistics stats, int[] cycleClasses, int defaultCount, long seed) {
        List<String> ids = stats.ids();
        int[] cycle = cycleClasses.length > 0 ? cycleClasses.clone() : frequentClasses(stats, defaultCount);
        if (cycle.length == 0) {
            throw new IllegalArgumentException("no class has rarity statistics; fit with more images or a lower minImages");
        }
        List<double[]> cdfs = new ArrayList<>();
        for (int c : cycle) {
            if (c < 0 || c >= stats.channels() || !stats.hasKde(c)) {
                throw new IllegalArgumentException("class " + c + " cannot be cycled over: "
                        + (c < 0 || c >= stats.channels() ? "no such channel" : "it has no rarity statistics"));
            }
            double max = Double.NEGATIVE_INFINITY;
            for (String id : ids) {
                double s = stats.logRarity(id, c);
                if (!Double.isNaN(s)) {
                    max = Math.max(max, s);
                }
            }
            double[] cdf = new double[ids.size()];
            double total = 0;
            for (int i = 0; i < ids.size(); i++) {
                double s = stats.logRarity(ids.get(i), c);
                total += Double.isNaN(s) ? 0 : Math.exp(s - max);
                cdf[i] = total;
            }
            for (int i = 0; i < cdf.length; i++) {
                cdf[i] /= total;
            }
            cdfs.add(cdf);
        }
        return new DatasetSampler(ids, cycle, cdfs, seed, 0);
    }

    /**
     * The paper's cycle over the five most frequent classes; with per-instance statistics the classes with several
     * instances join it (a car is in every street, so by count it ranks behind the background classes, and its rare
     * paints would be drawn only as often as the data holds them).
     */
    public static DatasetSampler rebalanced(RarityStatistics stats, long seed) {
        int[] frequent = frequentClasses(stats, 5);
        int[] extra = Arrays.stream(stats.instanceClasses()).filter(c -> Arrays.stream(frequent).noneMatch(f -> f == c))
                .toArray();
        if (extra.length == 0) {
            return rebalanced(stats, new int[0], 5, seed);
        }
        int[] cycle = Arrays.copyOf(frequent, frequent.length + extra.length);
        System.arraycopy(extra, 0, cycle, frequent.length, extra.length);
        return rebalanced(stats, cycle, 5, seed);
    }

    static int[] frequentClasses(RarityStatistics stats, int count) {
        List<String> ids = stats.ids();
        int[] images = new int[stats.channels()];
        for (String id : ids) {
            for (int c = 0; c < stats.channels(); c++) {
                if (stats.present(id, c)) {
                    images[c]++;
                }
            }
        }
        return IntStream.range(0, stats.channels()).filter(stats::hasKde).boxed()
                .sorted(Comparator.comparingInt((Integer c) -> -images[c]).thenComparingInt(c -> c))
                .limit(count).mapToInt(Integer::intValue).toArray();
    }

    /** Index (into {@link #ids()}) of the next example. */
    public int nextIndex() {
        long t = drawn++;
        double u = unit(seed, t);
        if (cycle.length == 0) {
            return (int) Math.min(ids.size() - 1, (long) (u * ids.size()));
        }
        double[] cdf = cdfs.get((int) (t % cycle.length));
        int i = Arrays.binarySearch(cdf, u);
        i = i >= 0 ? i : -i - 1;
        return Math.min(i, ids.size() - 1);
    }

    public List<String> ids() {
        return ids;
    }

    public int[] cycleClasses() {
        return cycle.clone();
    }

    public long drawn() {
        return drawn;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(new State(ids, cycle, cdfs, seed, drawn));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DatasetSampler fromJson(String json) {
        try {
            State s = JSON.readValue(json, State.class);
            if (s.cycleClasses().length != s.cdfs().size()) {
                throw new IllegalArgumentException("sampler JSON: " + s.cycleClasses().length + " classes but "
                        + s.cdfs().size() + " CDFs");
            }
            return new DatasetSampler(s.ids(), s.cycleClasses(), s.cdfs(), s.seed(), s.drawn());
        } catch (IOException e) {
            throw new IllegalArgumentException("sampler JSON cannot be read: " + e.getMessage(), e);
        }
    }

    /** SplitMix64 of (seed, t) -> [0, 1): counter-based, so draws need no stored generator state. */
    private static double unit(long seed, long t) {
        long z = seed + (t + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
