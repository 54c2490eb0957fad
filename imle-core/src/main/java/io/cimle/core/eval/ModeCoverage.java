package io.cimle.core.eval;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.ModeReader;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.ToyScenes.Mode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many of a layout's true modes a generator's samples show, on {@link ToyScenes}. The true
 * modes of a layout are the data's mode universe projected onto the factors the layout shows
 * (a layout without cars cannot show a car colour), each equally likely as in the data.
 * Per layout: coverage = share of true modes hit by at least one sample; frequency distance =
 * total variation between the samples' mode frequencies and the uniform true ones (off-mode
 * samples count as mass outside); fidelity = share of samples whose every region lies within
 * the threshold of its nearest prototype. All three are averaged over layouts.
 */
public final class ModeCoverage {

    /** Averages over layouts. */
    public record Result(int layouts, int samplesPerLayout, double coverage, double frequencyDistance,
                         double fidelity) {
    }

    /** A mode reduced to the factors a layout shows; -1 where a factor is absent. */
    record Key(int timeOfDay, int carColour, int buildingHue) {
    }

    private final Set<Mode> universe;
    private final double threshold;

    /**
     * @param universe  the modes the training data was drawn from (all of ToyScenes: 27)
     * @param threshold RGB distance within which a region counts as on-prototype
     *                  (default {@link ModeReader#DEFAULT_THRESHOLD})
     */
    public ModeCoverage(Set<Mode> universe, double threshold) {
        if (universe.isEmpty()) {
            throw new IllegalArgumentException("the mode universe is empty");
        }
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("fidelity threshold must be > 0, got " + threshold);
        }
        this.universe = Set.copyOf(universe);
        this.threshold = threshold;
    }

    public static Set<Mode> allModes() {
        Set<Mode> all = new HashSet<>();
        for (int i = 0; i < ToyScenes.modeCount(); i++) {
            all.add(Mode.ofIndex(i));
        }
        return all;
    }

    /** {@code samples.get(i)} are samples for {@code layouts.get(i)}; at least one each. */
    public Result measure(List<ClassMap> layouts, List<List<RgbImage>> samples) {
        if (layouts.size() != samples.size() || layouts.isEmpty()) {
            throw new IllegalArgumentException(layouts.size() + " layouts but " + samples.size()
                    + " sample lists; need one non-empty list per layout");
        }
        double coverage = 0;
        double tv = 0;
        double fidelity = 0;
        int n = samples.get(0).size();
        for (int i = 0; i < layouts.size(); i++) {
            ClassMap layout = layouts.get(i);
            List<RgbImage> images = samples.get(i);
            if (images.isEmpty()) {
                throw new IllegalArgumentException("layout " + i + " has no samples");
            }
            Set<Key> truth = trueModes(layout);
            Map<Key, Integer> counts = new HashMap<>();
            int faithful = 0;
            for (RgbImage image : images) {
                ModeReader.Reading r = ModeReader.read(layout, image);
                Key k = new Key(r.timeOfDay() == null ? -1 : r.timeOfDay().ordinal(), r.carColour(),
                        r.buildingHue());
                counts.merge(k, 1, Integer::sum);
                if (!r.regions().isEmpty() && r.regions().stream().allMatch(g -> g.distance() <= threshold)) {
                    faithful++;
                }
            }
            int hit = 0;
            for (Key k : truth) {
                if (counts.containsKey(k)) {
                    hit++;
                }
            }
            coverage += hit / (double) truth.size();
            double diff = 0;
            Set<Key> union = new HashSet<>(truth);
            union.addAll(counts.keySet());
            for (Key k : union) {
                double p = truth.contains(k) ? 1.0 / truth.size() : 0;
                double q = counts.getOrDefault(k, 0) / (double) images.size();
                diff += Math.abs(p - q);
            }
            tv += diff / 2;
            fidelity += faithful / (double) images.size();
        }
        int l = layouts.size();
        return new Result(l, n, coverage / l, tv / l, fidelity / l);
    }

    /** The universe projected onto the factors this layout shows. */
    Set<Key> trueModes(ClassMap layout) {
        int[] histogram = layout.histogram();
        boolean car = histogram[ToyScenes.CAR] > 0;
        boolean building = histogram[ToyScenes.BUILDING] > 0;
        Set<Key> out = new HashSet<>();
        for (Mode m : universe) {
            out.add(new Key(m.timeOfDay().ordinal(), car ? m.carColour() : -1, building ? m.buildingHue() : -1));
        }
        return out;
    }
}
