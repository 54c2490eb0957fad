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
import java.util.SplittableRandom;

/**
 * Diversity as in the paper: mean distance over P random pairs of distinct samples of one layout
 * (default 40), averaged over layouts. Pairs are drawn with replacement, so 9 samples (36 distinct
 * pairs) still give 40 pairs.
 */
public final class PairwiseDiversity {
    /** The paper's number of pairs per layout. */
    public static final int DEFAULT_PAIRS = 40;
    private static final int CHUNK = 8; // pairs per metric call, bounds memory of big backbones

    private final ImageMetric metric;
    private final int pairs;

    public PairwiseDiversity(ImageMetric metric, int pairs) {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs per layout must be >= 1, got " + pairs);
        }
        this.metric = metric;
        this.pairs = pairs;
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
        return new DiversityResult(metric.name(), samplesPerLayout.size(), pairs, mean, Math.sqrt(var));
    }

    private float[] pairDistances(NDArray samples, SplittableRandom random, int layout) {
        long s = samples.getShape().get(0);
        if (samples.getShape().dimension() != 4 || s < 2) {
            throw new IllegalArgumentException("layout #" + layout + ": need (S >= 2, 3, H, W) samples, got "
                    + samples.getShape());
        }
        float[] out = new float[pairs];
        for (int start = 0; start < pairs; start += CHUNK) {
            int n = Math.min(CHUNK, pairs - start);
            try (NDManager scratch = samples.getManager().newSubManager()) {
                NDList a = new NDList(n);
                NDList b = new NDList(n);
                for (int p = 0; p < n; p++) {
                    int i = random.nextInt((int) s);
                    int j = random.nextInt((int) s - 1);
                    j = j >= i ? j + 1 : j; // distinct from i, uniform over the rest
                    a.add(samples.get(i));
                    b.add(samples.get(j));
                }
                a.attach(scratch);
                b.attach(scratch);
                NDArray d = metric.distance(NDArrays.stack(a), NDArrays.stack(b)); // (n,)
                System.arraycopy(d.toFloatArray(), 0, out, start, n);
            }
        }
        return out;
    }
}
