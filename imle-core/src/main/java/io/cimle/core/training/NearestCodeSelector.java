package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.Sampler;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.TargetFeatures;

import java.util.ArrayList;
import java.util.List;

/**
 * IMLE's selection step: for each target, m candidate codes, their images generated without
 * gradients in batches of up to {@code batch} candidates (several targets per forward when they
 * fit), the target's features prepared once, and the code of the nearest image kept. Call it under
 * no-grad (the trainer does). The batch size changes speed only, never which codes are kept.
 */
public final class NearestCodeSelector {

    /** The examples to select codes for, in order. */
    public interface Targets {
        int size();

        ClassMap layout(int target);

        RgbImage photo(int target);

        /** The target's (1, 1, H, W) rarity weights, or null without loss rebalancing. */
        NDArray mask(NDManager manager, int target);
    }

    private final GeneratorNetwork network;
    private final Distance distance;
    private final int batch;

    public NearestCodeSelector(GeneratorNetwork network, Distance distance, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("selection batch must be >= 1, got " + batch);
        }
        this.network = network;
        this.distance = distance;
        this.batch = batch;
    }

    /** The nearest of each target's m seeds ({@code seeds} target-major: m per target). */
    public long[] keepNearest(Targets targets, long[] seeds, int m) {
        return nearest(seeds, distances(targets, seeds, m), m);
    }

    /** L(y_t, T(x_t, z_c)) for every candidate c (m per target, target-major); may hold non-finite values. */
    public float[] distances(Targets targets, long[] seeds, int m) {
        if (seeds.length != targets.size() * m) {
            throw new IllegalArgumentException(seeds.length + " seeds for " + targets.size() + " targets x m=" + m);
        }
        List<ClassMap> layouts = new ArrayList<>(seeds.length);
        List<LatentCode> codes = new ArrayList<>(seeds.length);
        int[] shape = LatentCodes.shapeFor(network.config());
        for (int c = 0; c < seeds.length; c++) {
            layouts.add(targets.layout(c / m));
            codes.add(LatentCode.seedOnly(seeds[c], shape)); // drawn batch by batch, not all at once
        }
        float[] out = new float[seeds.length];
        try (PreparedTarget target = new PreparedTarget(targets)) {
            Sampler.wrap(network, batch).forEachBatch(layouts, codes, (start, images, nanos) -> {
                NDArray scaled = ImageTensors.to255(images); // (B, 3, H, W)
                int end = start + (int) images.getShape().get(0);
                for (int c = start; c < end; ) {
                    int t = c / m;
                    int runEnd = Math.min(end, (t + 1) * m);
                    NDArray d = distance.perCandidate(scaled.get(c - start + ":" + (runEnd - start)), target.of(t));
                    System.arraycopy(d.toFloatArray(), 0, out, c, runEnd - c);
                    c = runEnd;
                }
            });
        }
        return out;
    }

    /** The features of one target at a time, kept while its m candidates span several forwards. */
    private final class PreparedTarget implements AutoCloseable {
        private final Targets targets;
        private NDManager manager;
        private TargetFeatures features;
        private int preparedFor = -1;

        PreparedTarget(Targets targets) {
            this.targets = targets;
        }

        TargetFeatures of(int t) {
            if (preparedFor != t) {
                close();
                manager = network.manager().newSubManager();
                features = distance.prepare(ImageTensors.pixels255(manager, List.of(targets.photo(t))),
                        targets.mask(manager, t));
                preparedFor = t;
            }
            return features;
        }

        @Override
        public void close() {
            if (features != null) {
                features.close();
                features = null;
            }
            if (manager != null) {
                manager.close();
                manager = null;
            }
        }
    }

    /** Per target, the seed whose distance is smallest (the first on ties). */
    public static long[] nearest(long[] seeds, float[] distances, int m) {
        long[] kept = new long[seeds.length / m];
        for (int t = 0; t < kept.length; t++) {
            int best = t * m;
            for (int j = t * m + 1; j < (t + 1) * m; j++) {
                if (distances[j] < distances[best]) {
                    best = j;
                }
            }
            kept[t] = seeds[best];
        }
        return kept;
    }

}
