package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.CodeBank;
import io.cimle.core.model.CodeParts;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.LayoutTensors;
import io.cimle.core.model.Sampler;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.TargetFeatures;
import java.util.ArrayList;
import java.util.Arrays;
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

        /** Pairs without rarity weights (a reference photo, a benchmark's data). */
        static Targets unweighted(List<ClassMap> layouts, List<RgbImage> photos) {
            if (layouts.size() != photos.size()) {
                throw new IllegalArgumentException(layouts.size() + " layouts but " + photos.size() + " photos");
            }
            return new Targets() {
                @Override
                public int size() {
                    return layouts.size();
                }

                @Override
                public ClassMap layout(int target) {
                    return layouts.get(target);
                }

                @Override
                public RgbImage photo(int target) {
                    return photos.get(target);
                }

                @Override
                public NDArray mask(NDManager manager, int target) {
                    return null;
                }
            };
        }
    }

    private final GeneratorNetwork network;
    private final Distance distance;
    private final int batch;
    private final boolean asDisplayed;
    /** What the codes stand for when samples are drawn (style search on a banked model); null in training. */
    private final CodeBank bank;

    public NearestCodeSelector(GeneratorNetwork network, Distance distance, int batch) {
        this(network, distance, batch, false);
    }

    public NearestCodeSelector(GeneratorNetwork network, Distance distance, int batch, boolean asDisplayed) {
        this(network, distance, batch, asDisplayed, null);
    }

    /**
     * @param asDisplayed compare samples as an image shows them (clamped to 0..255), as a reference photo
     *                    is; training selection compares the raw output, as its loss does
     */
    public NearestCodeSelector(GeneratorNetwork network, Distance distance, int batch, boolean asDisplayed,
                               CodeBank bank) {
        if (batch < 1) {
            throw new IllegalArgumentException("selection batch must be >= 1, got " + batch);
        }
        this.network = network;
        this.distance = distance;
        this.batch = batch;
        this.asDisplayed = asDisplayed;
        this.bank = bank;
    }

    /** The nearest of each target's m seeds ({@code seeds} target-major: m per target). */
    public long[] keepNearest(Targets targets, long[] seeds, int m) {
        return nearest(seeds, distances(targets, seeds, m), m);
    }

    /** L(y_t, T(x_t, z_c)) for every candidate c (m per target, target-major); may hold non-finite values. */
    public float[] distances(Targets targets, long[] seeds, int m) {
        return distances(targets, seedCodes(seeds), m);
    }

    /** The same for candidate codes given as codes (e.g. composed region by region). */
    public float[] distances(Targets targets, List<LatentCode> codes, int m) {
        float[] out = new float[codes.size()];
        run(targets, codes, m, false, (c, d) -> System.arraycopy(d, 0, out, c, d.length));
        return out;
    }

    /** The same split by class, for candidate seeds. */
    public float[][] regionDistances(Targets targets, long[] seeds, int m) {
        return regionDistances(targets, seedCodes(seeds), m);
    }

    /**
     * Per candidate, its distance split over the code's parts ({@link CodeParts}: the layout's classes, or
     * instances): {@code [candidate][part]}, each row
     * summing to the candidate's distance (see {@link Distance#perCandidateByRegion}).
     */
    public float[][] regionDistances(Targets targets, List<LatentCode> codes, int m) {
        float[][] out = new float[codes.size()][];
        int classes = CodeParts.count(network.config());
        run(targets, codes, m, true, (c, d) -> {
            for (int k = 0; k < d.length / classes; k++) {
                out[c + k] = Arrays.copyOfRange(d, k * classes, (k + 1) * classes);
            }
        });
        return out;
    }

    private interface Sink {
        /** Distances of candidates c, c+1, ... (row-major (n, classes) when by region). */
        void accept(int firstCandidate, float[] distances);
    }

    private void run(Targets targets, List<LatentCode> codes, int m, boolean byRegion, Sink sink) {
        if (codes.size() != targets.size() * m) {
            throw new IllegalArgumentException(codes.size() + " codes for " + targets.size() + " targets x m=" + m);
        }
        List<ClassMap> layouts = new ArrayList<>(codes.size());
        for (int c = 0; c < codes.size(); c++) {
            layouts.add(targets.layout(c / m));
        }
        try (PreparedTarget target = new PreparedTarget(targets)) {
            Sampler.wrap(network, batch).withBank(bank).forEachBatch(layouts, codes, (start, images, nanos) -> {
                NDArray raw = ImageTensors.to255(images); // (B, 3, H, W)
                NDArray scaled = asDisplayed ? raw.clip(0, 255) : raw;
                int end = start + (int) images.getShape().get(0);
                for (int c = start; c < end; ) {
                    int t = c / m;
                    int runEnd = Math.min(end, (t + 1) * m);
                    NDArray run = scaled.get(c - start + ":" + (runEnd - start));
                    NDArray d = byRegion ? distance.perCandidateByRegion(run, target.of(t), target.regions())
                            : distance.perCandidate(run, target.of(t));
                    sink.accept(c, d.toFloatArray());
                    c = runEnd;
                }
            });
        }
    }

    private List<LatentCode> seedCodes(long[] seeds) {
        int[] shape = LatentCodes.shapeFor(network.config());
        List<LatentCode> codes = new ArrayList<>(seeds.length);
        for (long seed : seeds) {
            codes.add(LatentCode.seedOnly(seed, shape)); // drawn batch by batch, not all at once
        }
        return codes;
    }

    /** The features of one target at a time, kept while its m candidates span several forwards. */
    private final class PreparedTarget implements AutoCloseable {
        private final Targets targets;
        private NDManager manager;
        private TargetFeatures features;
        private NDArray regions;
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
                regions = LayoutTensors.parts(manager, List.of(targets.layout(t)), network.config()); // (1, P, H, W)
                preparedFor = t;
            }
            return features;
        }

        /** The prepared target's code parts, one-hot: the regions its distance splits over. */
        NDArray regions() {
            return regions;
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
        return nearest(seeds, distances, m, 0);
    }

    /**
     * Per target, the seed whose distance is smallest among those at least {@code rejectBelow} away
     * (RS-IMLE's rejection; all candidates count when every one is nearer), the first on ties.
     */
    public static long[] nearest(long[] seeds, float[] distances, int m, double rejectBelow) {
        long[] kept = new long[seeds.length / m];
        for (int t = 0; t < kept.length; t++) {
            kept[t] = seeds[nearestIndex(distances, t * m, (t + 1) * m, rejectBelow)];
        }
        return kept;
    }

    /** Index in [from, to) of the smallest distance >= rejectBelow, or of the smallest when none is. */
    static int nearestIndex(float[] distances, int from, int to, double rejectBelow) {
        int best = -1;
        int bestAny = from;
        for (int j = from; j < to; j++) {
            if (distances[j] < distances[bestAny]) {
                bestAny = j;
            }
            if (distances[j] >= rejectBelow && (best < 0 || distances[j] < distances[best])) {
                best = j;
            }
        }
        return best < 0 ? bestAny : best;
    }

}
