package io.cimle.core.eval;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.ModeReader;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.ToyScenes.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * How many of a layout's true modes a generator's samples show, on {@link ToyScenes}. The true
 * modes of a layout are the data's mode universe projected onto the factors the layout shows
 * (a layout without cars cannot show a car colour), each equally likely as in the data.
 * Per layout: coverage = share of true modes hit by at least one sample; frequency distance =
 * total variation between the samples' mode frequencies and the uniform true ones (off-mode
 * samples count as mass outside); fidelity = share of samples whose every region lies within
 * the threshold of its nearest prototype. Per factor that varies in the universe (time of day,
 * sky weather, building hue, vegetation season, car colour): the share of its values at least one
 * sample shows, over the layouts that show the factor. Region fidelity = share of (sample, region)
 * pairs within the threshold, the lenient reading of fidelity. All are averaged over layouts.
 *
 * <p>On instance scenes ({@link ToyScenes.Variant#INSTANCES}, whose instances are given beside the layouts)
 * each instance of a per-instance class is read on its own: its coverage is the share of its class's
 * appearances it shows over the samples (averaged over instances), and for every two instances of a class
 * in one layout the "mixed" figure is how often they differ in a sample over how often they would if
 * each drew its appearance independently at the data's frequencies p (1 - sum p^2; 1 - 1/K for K equally
 * likely appearances; 1 is independent, 0 always alike). Instances replace their class's region in the
 * fidelities. The variant given at construction says how many appearances an instance class has and how
 * often the data draws each ({@link ToyScenes.Variant#LONG_TAIL}'s are unequal).
 */
public final class ModeCoverage {

    /** A factor of appearance: its name, the class that shows it (-1: always shown) and how to read it. */
    private record Factor(String name, int classId, ToIntFunction<Mode> ofMode, ToIntFunction<ModeReader.Reading> ofReading) {
    }

    private static final List<Factor> FACTORS = List.of(
            new Factor("time", -1, m -> m.timeOfDay().ordinal(), r -> r.timeOfDay() == null ? -1 : r.timeOfDay().ordinal()),
            new Factor("sky", ToyScenes.SKY, Mode::skyWeather, ModeReader.Reading::skyWeather),
            new Factor("building", ToyScenes.BUILDING, Mode::buildingHue, ModeReader.Reading::buildingHue),
            new Factor("vegetation", ToyScenes.VEGETATION, Mode::vegetationSeason, ModeReader.Reading::vegetationSeason),
            new Factor("car", ToyScenes.CAR, Mode::carColour, ModeReader.Reading::carColour));

    /**
     * Averages over layouts.
     *
     * @param factorCoverage per factor that varies in the universe, in the order time, sky, building,
     *                       vegetation, car: the mean share of its values shown
     * @param classFidelity  per layout class (by name): the share of its regions, over every sample whose
     *                       layout shows it, that lie within the threshold: which region a low fidelity is in
     */
    public record Result(int layouts, int samplesPerLayout, double coverage, double frequencyDistance,
                         double fidelity, Map<String, Double> factorCoverage, double regionFidelity,
                         Map<String, Double> classFidelity, Map<String, Double> instanceCoverage,
                         Map<String, Double> independence) {
        public Result(int layouts, int samplesPerLayout, double coverage, double frequencyDistance, double fidelity,
                      Map<String, Double> factorCoverage, double regionFidelity, Map<String, Double> classFidelity) {
            this(layouts, samplesPerLayout, coverage, frequencyDistance, fidelity, factorCoverage, regionFidelity,
                    classFidelity, Map.of(), Map.of());
        }

        /** The least covered factor's coverage (1 when no factor varies): the figure a collapse shows in. */
        public double minFactorCoverage() {
            return factorCoverage.values().stream().mapToDouble(Double::doubleValue).min().orElse(1);
        }
    }

    /** A mode reduced to the factors a layout shows; -1 where a factor is absent. */
    record Key(int timeOfDay, int carColour, int buildingHue, int skyWeather, int vegetationSeason) {
    }

    private final Set<Mode> universe;
    private final double threshold;
    private final ModeReader reader;
    private final List<Factor> varying;
    private final ToyScenes.Variant variant;

    /**
     * @param universe  the modes the training data was drawn from (e.g. a {@link ToyScenes.Variant}'s)
     * @param threshold RGB distance within which a region counts as on-prototype
     *                  (default {@link ModeReader#DEFAULT_THRESHOLD})
     */
    public ModeCoverage(Set<Mode> universe, double threshold) {
        this(universe, threshold, ToyScenes.Variant.INSTANCES);
    }

    /**
     * The same where instances take the appearances of {@code variant} (how many per class, at which frequencies);
     * the two-argument form reads them as {@link ToyScenes.Variant#INSTANCES} does.
     */
    public ModeCoverage(Set<Mode> universe, double threshold, ToyScenes.Variant variant) {
        this.variant = variant;
        if (universe.isEmpty()) {
            throw new IllegalArgumentException("the mode universe is empty");
        }
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("fidelity threshold must be > 0, got " + threshold);
        }
        this.universe = Set.copyOf(universe);
        this.threshold = threshold;
        this.reader = new ModeReader(universe);
        this.varying = FACTORS.stream().filter(f -> universe.stream().mapToInt(f.ofMode()).distinct().count() > 1)
                .toList();
    }

    /** The classic modes (27). */
    public static Set<Mode> allModes() {
        return new HashSet<>(ToyScenes.Variant.CLASSIC.modes());
    }

    /** {@code samples.get(i)} are samples for {@code layouts.get(i)}; at least one each. */
    public Result measure(List<ClassMap> layouts, List<List<RgbImage>> samples) {
        return measure(layouts, null, samples);
    }

    /**
     * The same where {@code instances.get(i)} are layout i's instances (instance scenes), each read on its
     * own; {@code instances} null (or its entries) for scenes without.
     */
    public Result measure(List<ClassMap> layouts, List<ToyScenes.Instances> instances, List<List<RgbImage>> samples) {
        if (instances != null && instances.size() != layouts.size()) {
            throw new IllegalArgumentException(layouts.size() + " layouts but " + instances.size() + " instance maps");
        }
        if (layouts.size() != samples.size() || layouts.isEmpty()) {
            throw new IllegalArgumentException(layouts.size() + " layouts but " + samples.size()
                    + " sample lists; need one non-empty list per layout");
        }
        double coverage = 0;
        double tv = 0;
        double fidelity = 0;
        double regionFidelity = 0;
        double[] factorSum = new double[varying.size()];
        int[] factorLayouts = new int[varying.size()];
        List<String> classNames = LabelSets.TOY_SCENES.classNames();
        long[] classRegions = new long[classNames.size()];
        long[] classFaithful = new long[classNames.size()];
        double[] instanceShown = new double[classNames.size()];
        int[] instanceCount = new int[classNames.size()];
        double[] mixedSum = new double[classNames.size()];
        int[] mixedPairs = new int[classNames.size()];
        int n = samples.get(0).size();
        for (int i = 0; i < layouts.size(); i++) {
            ClassMap layout = layouts.get(i);
            List<RgbImage> images = samples.get(i);
            if (images.isEmpty()) {
                throw new IllegalArgumentException("layout " + i + " has no samples");
            }
            int[] histogram = layout.histogram();
            Set<Key> truth = trueModes(histogram);
            Map<Key, Integer> counts = new HashMap<>();
            List<Set<Integer>> shown = varying.stream().map(f -> (Set<Integer>) new HashSet<Integer>()).toList();
            int faithful = 0;
            double regionsFaithful = 0;
            ToyScenes.Instances inst = instances == null ? null : instances.get(i);
            int[][] valueOf = inst == null ? null : new int[inst.count()][images.size()]; // [instance][sample]
            for (int s = 0; s < images.size(); s++) {
                RgbImage image = images.get(s);
                ModeReader.Reading r = reader.readImage(layout, image);
                counts.merge(key(r), 1, Integer::sum);
                for (int f = 0; f < varying.size(); f++) {
                    shown.get(f).add(varying.get(f).ofReading().applyAsInt(r));
                }
                List<ModeReader.Region> regions = inst == null ? r.regions() : withInstances(r, inst, image, valueOf, s);
                if (!regions.isEmpty() && regions.stream().allMatch(g -> g.distance() <= threshold)) {
                    faithful++;
                }
                regionsFaithful += regions.isEmpty() ? 0
                        : regions.stream().filter(g -> g.distance() <= threshold).count() / (double) regions.size();
                for (ModeReader.Region g : regions) {
                    if (g.classId() >= 0 && g.classId() < classNames.size()) {
                        classRegions[g.classId()]++;
                        classFaithful[g.classId()] += g.distance() <= threshold ? 1 : 0;
                    }
                }
            }
            if (inst != null) {
                tallyInstances(inst, valueOf, instanceShown, instanceCount, mixedSum, mixedPairs);
            }
            for (int f = 0; f < varying.size(); f++) {
                Factor factor = varying.get(f);
                if (factor.classId() >= 0 && histogram[factor.classId()] == 0) {
                    continue;
                }
                Set<Integer> values = new HashSet<>();
                universe.forEach(m -> values.add(factor.ofMode().applyAsInt(m)));
                long hit = values.stream().filter(shown.get(f)::contains).count();
                factorSum[f] += hit / (double) values.size();
                factorLayouts[f]++;
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
            regionFidelity += regionsFaithful / images.size();
        }
        Map<String, Double> perFactor = new LinkedHashMap<>();
        for (int f = 0; f < varying.size(); f++) {
            if (factorLayouts[f] > 0) {
                perFactor.put(varying.get(f).name(), factorSum[f] / factorLayouts[f]);
            }
        }
        Map<String, Double> perClass = new LinkedHashMap<>();
        for (int c = 0; c < classNames.size(); c++) {
            if (classRegions[c] > 0) {
                perClass.put(classNames.get(c), classFaithful[c] / (double) classRegions[c]);
            }
        }
        Map<String, Double> perInstance = new LinkedHashMap<>();
        Map<String, Double> mixed = new LinkedHashMap<>();
        for (int c = 0; c < classNames.size(); c++) {
            if (instanceCount[c] > 0) {
                perInstance.put(classNames.get(c), instanceShown[c] / instanceCount[c]);
            }
            if (mixedPairs[c] > 0) {
                mixed.put(classNames.get(c), mixedSum[c] / mixedPairs[c]);
            }
        }
        int l = layouts.size();
        return new Result(l, n, coverage / l, tv / l, fidelity / l, Collections.unmodifiableMap(perFactor),
                regionFidelity / l, Collections.unmodifiableMap(perClass), Collections.unmodifiableMap(perInstance),
                Collections.unmodifiableMap(mixed));
    }

    /**
     * A sample's regions with each instance read on its own in place of its class's region; records each
     * instance's appearance in {@code valueOf[instance][sample]}.
     */
    private List<ModeReader.Region> withInstances(ModeReader.Reading r, ToyScenes.Instances inst, RgbImage image,
                                                         int[][] valueOf, int sample) {
        Set<Integer> instanceClasses = new HashSet<>();
        for (int c : inst.classOf()) {
            instanceClasses.add(c);
        }
        List<ModeReader.Region> out = new ArrayList<>();
        r.regions().stream().filter(g -> !instanceClasses.contains(g.classId())).forEach(out::add);
        double[][] sum = new double[inst.count()][3];
        int[] size = inst.sizes();
        byte[] rgb = image.rgb();
        int[] at = inst.instanceAt();
        for (int p = 0; p < at.length; p++) {
            if (at[p] >= 0) {
                sum[at[p]][0] += rgb[3 * p] & 0xff;
                sum[at[p]][1] += rgb[3 * p + 1] & 0xff;
                sum[at[p]][2] += rgb[3 * p + 2] & 0xff;
            }
        }
        ToyScenes.TimeOfDay time = r.timeOfDay() == null ? ToyScenes.TimeOfDay.DAY : r.timeOfDay();
        for (int k = 0; k < inst.count(); k++) {
            if (size[k] == 0) {
                valueOf[k][sample] = -1;
                continue;
            }
            double[] mean = {sum[k][0] / size[k], sum[k][1] / size[k], sum[k][2] / size[k]};
            int cls = inst.classOf()[k];
            ModeReader.Region g = ModeReader.readInstance(cls, mean, time, variant.instanceValues(cls));
            valueOf[k][sample] = g.prototype();
            out.add(g);
        }
        return out;
    }

    /** Adds one layout's per-instance coverage and, per pair of same-class instances, its mixed figure. */
    private void tallyInstances(ToyScenes.Instances inst, int[][] valueOf, double[] shown, int[] count,
                                       double[] mixedSum, int[] mixedPairs) {
        int[] size = inst.sizes();
        for (int k = 0; k < inst.count(); k++) {
            int c = inst.classOf()[k];
            if (size[k] == 0) {
                continue;
            }
            int values = variant.instanceValues(c);
            double apart = 1 - Arrays.stream(variant.instanceFrequencies(c)).map(p -> p * p).sum();
            shown[c] += Arrays.stream(valueOf[k]).filter(v -> v >= 0).distinct().count() / (double) values;
            count[c]++;
            for (int j = k + 1; j < inst.count(); j++) {
                if (inst.classOf()[j] != c || size[j] == 0) {
                    continue;
                }
                int differ = 0;
                for (int s = 0; s < valueOf[k].length; s++) {
                    differ += valueOf[k][s] != valueOf[j][s] ? 1 : 0;
                }
                mixedSum[c] += differ / (double) valueOf[k].length / apart;
                mixedPairs[c]++;
            }
        }
    }

    private static Key key(ModeReader.Reading r) {
        return new Key(r.timeOfDay() == null ? -1 : r.timeOfDay().ordinal(), r.carColour(), r.buildingHue(),
                r.skyWeather(), r.vegetationSeason());
    }

    /** The universe projected onto the factors this layout shows. */
    Set<Key> trueModes(ClassMap layout) {
        return trueModes(layout.histogram());
    }

    private Set<Key> trueModes(int[] histogram) {
        boolean car = histogram[ToyScenes.CAR] > 0;
        boolean building = histogram[ToyScenes.BUILDING] > 0;
        boolean sky = histogram[ToyScenes.SKY] > 0;
        boolean vegetation = histogram[ToyScenes.VEGETATION] > 0;
        Set<Key> out = new HashSet<>();
        for (Mode m : universe) {
            out.add(new Key(m.timeOfDay().ordinal(), car ? m.carColour() : -1, building ? m.buildingHue() : -1,
                    sky ? m.skyWeather() : -1, vegetation ? m.vegetationSeason() : -1));
        }
        return out;
    }
}
