package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.CodeBank;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.ModelConfig;
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
        return select(chosen, rng, epoch, globalStep, null);
    }

    /**
     * The same, with {@code bank} (the looks earlier epochs matched, or null) offering {@code bank-candidates} more
     * candidates per example after the regional selection.
     */
    KeptCodes select(int[] chosen, TrainerRandom rng, int epoch, long globalStep, CodeBank bank) {
        int m = config.candidates();
        long[] seeds = new long[chosen.length * m];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = rng.nextLong(); // drawn up front: the batch size must not change the stream
        }
        if (config.selection().regional()) {
            KeptCodes kept = new RegionalSelection(selector(), network.config(), config.rejectBelow(),
                    config.selection() == CodeSelection.STAGED, config.get(ImleConfig.WHOLE_CANDIDATES_DONATE)).select(targets(chosen), seeds, m,
                    v -> finite(v, epoch, globalStep));
            kept = config.get(ImleConfig.KEEP_MATCHES) ? keepEarlierWhereNearer(chosen, kept) : kept;
            int offered = config.get(ImleConfig.BANK_CANDIDATES);
            if (offered == 0 || bank == null) {
                return kept;
            }
            long[] bankSeeds = new long[chosen.length * offered];
            for (int i = 0; i < bankSeeds.length; i++) {
                bankSeeds[i] = rng.nextLong();
            }
            return withMatchedLooks(chosen, kept, bank, bankSeeds, offered, v -> finite(v, epoch, globalStep));
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

    /**
     * Each part of each kept code replaced by the nearest of {@code offered} matched vectors of its class (one bank
     * draw per candidate, every part its own vector), where nearer than the kept part; the composed code is kept
     * where its whole distance is below the kept code's (the network mixes neighbouring parts a little). A look
     * that an earlier epoch matched is so offered to every example showing it, so its examples pull one code
     * together instead of each a fresh Gaussian that a frequent look also claims. Codes changed here are no longer
     * what their seeds compose: {@link KeptCodes#codes()} holds them (a checkpoint stores them as tables).
     */
    private KeptCodes withMatchedLooks(int[] chosen, KeptCodes kept, CodeBank bank, long[] bankSeeds, int offered,
                                       RegionalSelection.DistanceCheck check) {
        ModelConfig model = network.config();
        int per = offered + 1;
        List<LatentCode> candidates = new ArrayList<>(chosen.length * per);
        List<float[]> scenes = bank.picksByScene() ? data.sceneColours(chosen) : null;
        for (int t = 0; t < chosen.length; t++) {
            candidates.add(kept.codes().get(t));
            for (int k = 0; k < offered; k++) {
                candidates.add(bank.draw(data.layout(chosen[t]), bankSeeds[t * offered + k],
                        scenes == null ? null : scenes.get(t)));
            }
        }
        float[][] parts = selector().regionDistances(targets(chosen), candidates, per);
        List<LatentCode> composed = new ArrayList<>(chosen.length);
        float[] keptTotals = new float[chosen.length];
        boolean[] changed = new boolean[chosen.length];
        for (int t = 0; t < chosen.length; t++) {
            float[] own = parts[t * per];
            keptTotals[t] = 0;
            int[] from = new int[own.length];
            for (int c = 0; c < own.length; c++) {
                keptTotals[t] += check.finite(own[c]);
                float best = own[c];
                for (int k = 1; k < per; k++) {
                    float d = check.finite(parts[t * per + k][c]);
                    if (d < best) {
                        best = d;
                        from[c] = k;
                        changed[t] = true;
                    }
                }
            }
            composed.add(changed[t] ? RegionalCodes.composeValues(model, data.layout(chosen[t]),
                    candidates.subList(t * per, (t + 1) * per), from) : kept.codes().get(t));
        }
        float[] totals = selector().distances(targets(chosen), composed, 1);
        List<LatentCode> codes = new ArrayList<>(chosen.length);
        for (int t = 0; t < chosen.length; t++) {
            codes.add(changed[t] && check.finite(totals[t]) < keptTotals[t] ? composed.get(t) : kept.codes().get(t));
        }
        return new KeptCodes(kept.seeds(), kept.donors(), codes, kept.composedKept());
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
