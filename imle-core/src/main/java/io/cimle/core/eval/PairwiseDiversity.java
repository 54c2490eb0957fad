package io.cimle.core.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.ImageTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Diversity as in the paper: mean distance over P random pairs of distinct samples of one layout
 * (default 40), averaged over layouts. Pairs are drawn with replacement, so 9 samples (36 distinct
 * pairs) still give 40 pairs. Other papers' protocols through {@link Pairs}.
 */
public final class PairwiseDiversity {
    /** Which pairs of one layout's samples are compared. */
    public enum Pairs {
        /** The paper's: P random pairs of distinct samples, drawn with replacement from the seed. */
        RANDOM,
        /**
         * Samples 0-1, 1-2, ..., (S-2)-(S-1): S - 1 pairs, each sample in at most two; BicycleGAN's count
         * (19 pairs from 20 samples of each of 100 inputs); the seed is not used.
         */
        CONSECUTIVE,
        /** Every unordered pair, S (S - 1) / 2 (the LPIPS repo's all-pairs script, StarGAN v2); no seed. */
        ALL
    }

    /** The paper's number of pairs per layout. */
    public static final int DEFAULT_PAIRS = 40;
    private static final int CHUNK = 8; // pairs per metric call, bounds memory of big backbones

    private final ImageMetric metric;
    private final int pairs;
    private final Pairs schedule;

    public PairwiseDiversity(ImageMetric metric, int pairs) {
        this(metric, pairs, Pairs.RANDOM);
    }

    /** @param pairs pairs per layout for {@link Pairs#RANDOM}; the other schedules fix their own count */
    public PairwiseDiversity(ImageMetric metric, int pairs, Pairs schedule) {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs per layout must be >= 1, got " + pairs);
        }
        this.metric = metric;
        this.pairs = pairs;
        this.schedule = schedule;
    }

    public Pairs schedule() {
        return schedule;
    }

    /** LPIPS when a weights file is given, otherwise the mean-abs-pixel fallback; 40 pairs. */
    public static PairwiseDiversity create(Path lpipsWeightsOrNull, Device device) {
        ImageMetric metric = lpipsWeightsOrNull == null ? new MeanAbsPixelMetric() : Lpips.load(lpipsWeightsOrNull, device);
        return new PairwiseDiversity(metric, DEFAULT_PAIRS);
    }

    public ImageMetric metric() {
        return metric;
    }

    /** The same for images: {@code samples.get(i)} are layout i's samples (at least 2 each). */
    public DiversityResult measureImages(List<List<RgbImage>> samples, long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> perLayout = new ArrayList<>(samples.size());
            for (List<RgbImage> s : samples) {
                perLayout.add(ImageTensors.fromImages(manager, s)); // (n, 3, H, W) in [-1, 1]
            }
            return measure(perLayout, seed);
        }
    }

    /**
     * @param samplesPerLayout per layout, (S, 3, H, W) samples in [-1, 1], S >= 2
     * @param seed seeds the pair choice, so runs are repeatable
     */
    public DiversityResult measure(List<NDArray> samplesPerLayout, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double sumOfMeans = 0;
        List<Float> all = new ArrayList<>();
        for (int l = 0; l < samplesPerLayout.size(); l++) {
            float[] d = pairDistances(samplesPerLayout.get(l), random, l);
            double mean = 0;
            for (float v : d) {
                mean += v;
                all.add(v);
            }
            sumOfMeans += mean / d.length;
        }
        double mean = samplesPerLayout.isEmpty() ? Double.NaN : sumOfMeans / samplesPerLayout.size();
        double pooledMean = all.stream().mapToDouble(Float::doubleValue).average().orElse(Double.NaN);
        double var = all.stream().mapToDouble(v -> (v - pooledMean) * (v - pooledMean)).average().orElse(Double.NaN);
        int perLayout = schedule == Pairs.RANDOM || samplesPerLayout.isEmpty() ? pairs : all.size() / samplesPerLayout.size();
        return new DiversityResult(metric.name() + (schedule == Pairs.RANDOM ? "" : ", " + schedule.name().toLowerCase(
                Locale.ROOT) + " pairs"), samplesPerLayout.size(), perLayout, mean, Math.sqrt(var));
    }

    private float[] pairDistances(NDArray samples, SplittableRandom random, int layout) {
        long s = samples.getShape().get(0);
        if (samples.getShape().dimension() != 4 || s < 2) {
            throw new IllegalArgumentException("layout #" + layout + ": need (S >= 2, 3, H, W) samples, got "
                    + samples.getShape());
        }
        int[][] chosen = pairs(schedule, pairs, (int) s, random);
        float[] out = new float[chosen.length];
        for (int start = 0; start < chosen.length; start += CHUNK) {
            int n = Math.min(CHUNK, chosen.length - start);
            try (NDManager scratch = samples.getManager().newSubManager()) {
                NDList a = new NDList(n);
                NDList b = new NDList(n);
                for (int p = 0; p < n; p++) {
                    a.add(samples.get(chosen[start + p][0]));
                    b.add(samples.get(chosen[start + p][1]));
                }
                a.attach(scratch);
                b.attach(scratch);
                NDArray d = metric.distance(NDArrays.stack(a), NDArrays.stack(b)); // (n,)
                System.arraycopy(d.toFloatArray(), 0, out, start, n);
            }
        }
        return out;
    }

    /** The (i, j) sample pairs one layout with {@code s} samples is scored on. */
    public static int[][] pairs(Pairs schedule, int randomPairs, int s, SplittableRandom random) {
        return switch (schedule) {
            case RANDOM -> {
                int[][] out = new int[randomPairs][];
                for (int p = 0; p < randomPairs; p++) {
                    int i = random.nextInt(s);
                    int j = random.nextInt(s - 1);
                    out[p] = new int[] {i, j >= i ? j + 1 : j}; // j distinct from i, uniform over the rest
                }
                yield out;
            }
            case CONSECUTIVE -> {
                int[][] out = new int[s - 1][];
                for (int i = 0; i + 1 < s; i++) {
                    out[i] = new int[] {i, i + 1};
                }
                yield out;
            }
            case ALL -> {
                int[][] out = new int[s * (s - 1) / 2][];
                int k = 0;
                for (int i = 0; i < s; i++) {
                    for (int j = i + 1; j < s; j++) {
                        out[k++] = new int[] {i, j};
                    }
                }
                yield out;
            }
        };
    }
}
