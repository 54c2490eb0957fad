package io.cimle.core.training;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.CodeBank;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.GradMode;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.RegionalCodes;
import io.cimle.core.training.distance.Distance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Style from a reference photo: the codes whose samples of the reference layout come nearest the
 * reference photo, found by IMLE's own selection run once (peers train a separate encoder network for
 * this; here selection is the encoder). Applied to another layout, a found code carries the reference's
 * appearance over. Deterministic for a seed.
 */
public final class StyleSearch {
    /** Default number of candidate codes searched. */
    public static final int DEFAULT_CANDIDATES = 64;

    /** A found code and its distance to the reference photo. */
    public record Found(LatentCode code, float distance) {
    }

    private final GeneratorNetwork network;
    private final Distance distance;
    private final int batch;
    private final CodeBank bank;

    public StyleSearch(GeneratorNetwork network, Distance distance, int batch) {
        this(network, distance, batch, null);
    }

    /** A search among the samples a model draws through {@code bank} (null: the codes as they are). */
    public StyleSearch(GeneratorNetwork network, Distance distance, int batch, CodeBank bank) {
        this.network = network;
        this.distance = distance;
        this.batch = batch;
        this.bank = bank;
    }

    /**
     * The {@code n} nearest codes among {@code candidates} drawn from {@code seed}, nearest first. Where
     * the model's code has a part per class, the first is composed region by region (each class's part
     * from the candidate nearest over that class's pixels) when that comes nearer still.
     */
    public List<Found> nearest(ClassMap layout, RgbImage photo, int candidates, long seed, int n) {
        if (candidates < 1 || n < 1 || n > candidates) {
            throw new IllegalArgumentException("need 1 <= n <= candidates, got n " + n + " of " + candidates);
        }
        if (photo.width() != layout.width() || photo.height() != layout.height()) {
            throw new IllegalArgumentException("reference photo " + photo.width() + "x" + photo.height()
                    + " and layout " + layout.width() + "x" + layout.height() + " differ in size");
        }
        long[] seeds = new SplittableRandom(seed).longs(candidates).toArray();
        NearestCodeSelector.Targets target = NearestCodeSelector.Targets.unweighted(List.of(layout), List.of(photo));
        // The reference is a photo: compare it with samples as they are shown.
        NearestCodeSelector selector = new NearestCodeSelector(network, distance, batch, true, bank);
        int[] shape = LatentCodes.shapeFor(network.config());
        // Through a bank a code stands for whole matched looks: a code composed of parts would stand for others.
        boolean regional = RegionalCodes.supported(network.config()) && candidates >= 2 && bank == null;
        return GradMode.withoutGradients(() -> {
            // Split by class where the code has parts per class: the rows sum to the whole distances,
            // and the regional composition below reuses them instead of generating its half again.
            float[][] byClass = regional ? selector.regionDistances(target, seeds, candidates) : null;
            float[] d = regional ? totals(byClass) : selector.distances(target, seeds, candidates);
            List<Found> all = new ArrayList<>(candidates);
            for (int j = 0; j < candidates; j++) {
                all.add(new Found(LatentCode.fromSeed(seeds[j], shape), d[j]));
            }
            all.sort(Comparator.comparingDouble(Found::distance));
            List<Found> out = new ArrayList<>(all.subList(0, n));
            if (regional) {
                KeptCodes kept = new RegionalSelection(selector, network.config(), 0)
                        .select(target, seeds, candidates, v -> v, byClass);
                if (kept.composedKept() > 0) {
                    float composed = selector.distances(target, kept.codes(), 1)[0];
                    if (composed < out.get(0).distance()) {
                        out.add(0, new Found(kept.codes().get(0), composed));
                        out.remove(out.size() - 1);
                    }
                }
            }
            return out;
        });
    }

    private static float[] totals(float[][] rows) {
        float[] out = new float[rows.length];
        for (int j = 0; j < rows.length; j++) {
            double sum = 0;
            for (float v : rows[j]) {
                sum += v;
            }
            out[j] = (float) sum;
        }
        return out;
    }
}
