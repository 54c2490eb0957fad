package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.training.distance.Distance;
/**
 * The matching half of an IMLE epoch: every chosen example gets the code of the nearest of its m
 * candidates (flat), or a donor per code part (regional). Runs under no-grad (the trainer's loop does).
 */
final class Matching {
    private final GeneratorNetwork network;
    private final Distance distance;
    private final ImleConfig config;
    private final TrainingData data;

    Matching(GeneratorNetwork network, Distance distance, ImleConfig config, TrainingData data) {
        this.network = network;
        this.distance = distance;
        this.config = config;
        this.data = data;
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
            return new RegionalSelection(selector(), network.config(), config.rejectBelow(),
                    config.selection() == CodeSelection.STAGED, config.get(ImleConfig.WHOLE_CANDIDATES_DONATE)).select(targets(chosen), seeds, m,
                    v -> finite(v, epoch, globalStep));
        }
        return KeptCodes.flat(keepNearest(chosen, seeds, epoch, globalStep));
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
