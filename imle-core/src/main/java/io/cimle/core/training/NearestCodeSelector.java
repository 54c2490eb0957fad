package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.LayoutTensors;
import io.cimle.core.model.Scalars;
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
        float[] out = new float[seeds.length];
        NDManager targetManager = null;
        TargetFeatures prepared = null;
        int preparedFor = -1;
        try {
            for (int start = 0; start < seeds.length; start += batch) {
                int end = Math.min(seeds.length, start + batch);
                try (NDManager sub = network.manager().newSubManager()) {
                    List<ClassMap> layouts = new ArrayList<>(end - start);
                    List<LatentCode> codes = new ArrayList<>(end - start);
                    for (int c = start; c < end; c++) {
                        layouts.add(targets.layout(c / m));
                        codes.add(code(seeds[c]));
                    }
                    NDArray images = to255(network.forward(LayoutTensors.oneHot(sub, layouts),
                            network.noiseFor(codes, sub), false)); // (B, 3, H, W)
                    for (int c = start; c < end; ) {
                        int t = c / m;
                        int runEnd = Math.min(end, (t + 1) * m);
                        if (preparedFor != t) {
                            // The target's features outlive one forward when its m candidates span two.
                            if (prepared != null) {
                                prepared.close();
                                targetManager.close();
                            }
                            targetManager = network.manager().newSubManager();
                            prepared = distance.prepare(photos255(targetManager, List.of(targets.photo(t))),
                                    targets.mask(targetManager, t));
                            preparedFor = t;
                        }
                        NDArray d = distance.perCandidate(images.get(c - start + ":" + (runEnd - start)), prepared);
                        System.arraycopy(d.toFloatArray(), 0, out, c, runEnd - c);
                        c = runEnd;
                    }
                }
            }
        } finally {
            if (prepared != null) {
                prepared.close();
            }
            if (targetManager != null) {
                targetManager.close();
            }
        }
        return out;
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

    private LatentCode code(long seed) {
        return LatentCode.fromSeed(seed, LatentCodes.shapeFor(network.config()));
    }

    /** (n, 3, H, W) photos in 0..255 space, exactly the 8-bit values. */
    public static NDArray photos255(NDManager manager, List<RgbImage> photos) {
        RgbImage first = photos.get(0);
        int plane = first.width() * first.height();
        float[] data = new float[photos.size() * 3 * plane];
        for (int n = 0; n < photos.size(); n++) {
            byte[] rgb = photos.get(n).rgb();
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    data[(n * 3 + c) * plane + p] = rgb[3 * p + c] & 0xff;
                }
            }
        }
        return manager.create(data, new Shape(photos.size(), 3, first.height(), first.width()));
    }

    /** [-1, 1] generator output to the distance's 0..255 space. */
    public static NDArray to255(NDArray x) {
        return Scalars.times(Scalars.plus(x, 1), 127.5);
    }
}
