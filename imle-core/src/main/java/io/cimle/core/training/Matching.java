package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.RegionalCodes;
import io.cimle.core.training.distance.Distance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
/**
 * The matching half of an IMLE epoch: every chosen example gets the code of the nearest of its m
 * candidates (flat), or a donor per code part (regional). Runs under no-grad (the trainer's loop does).
 */
final class Matching {
    private final GeneratorNetwork network;
    private final Distance distance;
    private final ImleConfig config;
    private final TrainingData data;
    /** With keep-matches: per example its last match, the base seed then a donor per part. */
    private final Map<Integer, long[]> lastMatch;

    Matching(GeneratorNetwork network, Distance distance, ImleConfig config, TrainingData data,
             Map<Integer, long[]> lastMatch) {
        this.network = network;
        this.distance = distance;
        this.config = config;
        this.data = data;
        this.lastMatch = lastMatch;
    }

    /**
     * For each chosen example: m code seeds from the trainer's stream, samples generated in batches of up
     * to selectionBatch candidates (several examples per forward when they fit), the target's features
     * prepared once, and the nearest sample's code kept.
     *
     * @param epoch      the epoch and the run's steps so far, what a non-finite distance is reported against
     */
    KeptCodes select(int[] chosen, TrainerRandom rng, int epoch, long globalStep) {
        int m = config.candidates();
        long[] seeds = new long[chosen.length * m];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = rng.nextLong(); // drawn up front: the batch size must not change the stream
        }
        if (config.selection().regional()) {
            KeptCodes kept = new RegionalSelection(selector(), network.config(), config.rejectBelow(),
                    config.selection() == CodeSelection.STAGED, config.get(ImleConfig.WHOLE_CANDIDATES_DONATE)).select(targets(chosen), seeds, m,
                    v -> finite(v, epoch, globalStep));
            return config.get(ImleConfig.KEEP_MATCHES) ? keepEarlierWhereNearer(chosen, kept) : kept;
        }
        return KeptCodes.flat(keepNearest(chosen, seeds, epoch, globalStep));
    }

    /**
     * Each example's match of its last epoch, where it still comes nearer than this epoch's: a look the generator
     * learnt for one code keeps that code, instead of being pulled onto a fresh one each time the example is chosen.
     */
    private KeptCodes keepEarlierWhereNearer(int[] chosen, KeptCodes kept) {
        int parts = kept.donors().length / chosen.length;
        List<LatentCode> pairs = new ArrayList<>(2 * chosen.length);
        for (int t = 0; t < chosen.length; t++) {
            long[] last = lastMatch.get(chosen[t]);
            pairs.add(kept.codes().get(t));
            pairs.add(last == null ? kept.codes().get(t) : RegionalCodes.compose(network.config(),
                    data.layout(chosen[t]), last[0], Arrays.copyOfRange(last, 1, last.length)));
        }
        float[] d = selector().distances(targets(chosen), pairs, 2);
        long[] bases = kept.seeds().clone();
        long[] donors = kept.donors().clone();
        List<LatentCode> codes = new ArrayList<>(chosen.length);
        for (int t = 0; t < chosen.length; t++) {
            long[] last = lastMatch.get(chosen[t]);
            if (last != null && d[2 * t + 1] < d[2 * t]) {
                bases[t] = last[0];
                System.arraycopy(last, 1, donors, t * parts, parts);
                codes.add(pairs.get(2 * t + 1));
            } else {
                codes.add(pairs.get(2 * t));
            }
            long[] record = new long[parts + 1];
            record[0] = bases[t];
            System.arraycopy(donors, t * parts, record, 1, parts);
            lastMatch.put(chosen[t], record);
        }
        return new KeptCodes(bases, donors, codes, kept.composedKept());
    }

    /** The seed of the nearest of each example's m candidate seeds (example-major). */
    long[] keepNearest(int[] chosen, long[] seeds, int epoch, long globalStep) {
        int m = config.candidates();
        float[] distances = selector().distances(targets(chosen), seeds, m);
        for (float v : distances) {
            finite(v, epoch, globalStep);
        }
        return NearestCodeSelector.nearest(seeds, distances, m, config.rejectBelow());
    }

    private NearestCodeSelector selector() {
        return new NearestCodeSelector(network, distance, config.selectionBatch());
    }

    /** A NaN distance would make argmin keep an arbitrary code: silent mode collapse. */
    private static float finite(float v, int epoch, long globalStep) {
        if (!Float.isFinite(v)) {
            throw new TrainingDivergedException(epoch, globalStep, v,
                    "A candidate's distance during selection was not finite (libtorch's oneDNN "
                            + "returns NaN from some convolutions on AVX-512 CPUs: run with "
                            + "ONEDNN_MAX_CPU_ISA=AVX2, as ./cimle does).");
        }
        return v;
    }

    private NearestCodeSelector.Targets targets(int[] chosen) {
        return new NearestCodeSelector.Targets() {
            @Override
            public int size() {
                return chosen.length;
            }

            @Override
            public ClassMap layout(int target) {
                return data.layout(chosen[target]);
            }

            @Override
            public RgbImage photo(int target) {
                return data.photo(chosen[target]);
            }

            @Override
            public NDArray mask(NDManager manager, int target) {
                return data.weights(manager, new int[] {chosen[target]});
            }
        };
    }
}
