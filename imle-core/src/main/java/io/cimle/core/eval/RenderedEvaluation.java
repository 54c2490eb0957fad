package io.cimle.core.eval;

import io.cimle.core.data.LayoutComponents;
import io.cimle.core.data.RenderedScenes;
import io.cimle.core.data.RenderedScenes.Factor;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a generator's samples show on held-out rendered streets, read by {@link RenderedReader}: per scene-wide factor
 * (light, season) and per instance class (paint, facade) coverage and frequencies against the data's, how
 * independent two instances of a class are (apart, and touching: one blob of the class map), how much of a sample
 * shows its light (one light per sample), whether one code keeps its scene-wide look across layouts, and fidelity (regions within
 * {@link #DEFAULT_THRESHOLD} of the render of the look they read as).
 *
 * <p>Coverage is the share of a factor's values that some of the n samples show (per layout for scene-wide factors,
 * per instance for instance factors), averaged; {@code ceiling} is what a sampler drawing exactly the data's
 * frequencies would reach in expectation with n samples, so a rare look's absence is told from bad luck. Mixed is
 * how often two instances of a class differ in a sample over how often they would if each drew its look
 * independently at the data's frequencies (1 - sum p^2): 1 is independent, 0 always alike.
 */
public final class RenderedEvaluation {
    /**
     * Distance (mean absolute per channel, 0..255) within which a region counts as its look's render: the real
     * held-out renders lie within it (their distance is the renderer's own noise between two looks' renders).
     */
    public static final double DEFAULT_THRESHOLD = 12.0;
    /** Codes reused across every held-out layout for the "one code keeps its look" figure. */
    public static final int STYLE_CODES = 6;

    /** One factor's figures. */
    public record FactorFigures(String name, double coverage, double ceiling, double[] frequencies, double[] data,
                                double tv, double rarestShare) {
    }

    /**
     * How near one kind of region comes to its render: the share within the threshold, the median distance, the
     * median distance of the region's mean colour to the render's (a wrong colour, not blur in space), and the share
     * within the threshold of a render under any light (drawn right but in another light).
     */
    public record KindFidelity(double withinThreshold, double medianDistance, double medianColourDistance,
                               double withinThresholdAnyLight) {
    }

    /**
     * Mixed (see the class comment) of one class's pairs split by the smaller instance's pixel count at its median
     * over the class's pairs ({@code medianPixels}): large pairs at or above it, small ones below, where a blurred
     * edge is much of what is read; each apart and touching, with the pair counts behind them (NaN where a cell has
     * no pair).
     */
    public record MixedBySize(int medianPixels, double apartLarge, double apartSmall, double touchingLarge,
                              double touchingSmall, int[] pairs) {
    }

    /** One pair of instances of a class in one layout: its samples' differing reads and independent draws'. */
    private record Pair(boolean touching, int smallerPixels, double differ, double expected) {
    }

    /** Figures of one model (or sampler) on a rendered held-out set. */
    public record Report(String name, int layouts, int samplesPerLayout, Map<String, FactorFigures> factors,
                         Map<String, Double> mixedApart, Map<String, Double> mixedTouching, double coherence,
                         Map<String, Double> styleKept, double fidelity, double fidelityAll, double diversity,
                         String diversityMetric, Map<String, KindFidelity> fidelityByKind,
                         Map<String, MixedBySize> mixedBySize) {
        public Report {
            mixedBySize = Collections.unmodifiableMap(new LinkedHashMap<>(mixedBySize));
            fidelityByKind = Collections.unmodifiableMap(new LinkedHashMap<>(fidelityByKind));
            factors = Collections.unmodifiableMap(new LinkedHashMap<>(factors));
            mixedApart = Collections.unmodifiableMap(new LinkedHashMap<>(mixedApart));
            mixedTouching = Collections.unmodifiableMap(new LinkedHashMap<>(mixedTouching));
            styleKept = Collections.unmodifiableMap(new LinkedHashMap<>(styleKept));
        }

        /** The least covered factor (scene-wide or per instance). */
        public double minCoverage() {
            return factors.values().stream().mapToDouble(FactorFigures::coverage).min().orElse(1);
        }

        public static String markdownHeader() {
            return "| model | layouts | samples/layout | coverage (ceiling) | freq. TV, rarest / its share | "
                    + "mixed apart / touching | one light per sample | one code across layouts | "
                    + "fidelity (per region / all) | pairwise diversity |\n|---|---|---|---|---|---|---|---|---|---|";
        }

        public String markdownRow() {
            StringBuilder cov = new StringBuilder();
            StringBuilder freq = new StringBuilder();
            factors.values().forEach(f -> {
                cov.append(cov.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f (%.2f)",
                        f.name(), f.coverage(), f.ceiling()));
                freq.append(freq.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f, %.2f",
                        f.name(), f.tv(), f.rarestShare()));
            });
            StringBuilder mixed = new StringBuilder();
            mixedApart.forEach((c, v) -> mixed.append(mixed.isEmpty() ? "" : ", ").append(String.format(
                    Locale.ROOT, "%s %s / %s", c, fmt(v), fmt(mixedTouching.get(c)))));
            StringBuilder style = new StringBuilder();
            styleKept.forEach((c, v) -> style.append(style.isEmpty() ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.2f", c, v)));
            return String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %.2f | %s | %.3f / %.3f | %.4f |",
                    name, layouts, samplesPerLayout, cov, freq, mixed.isEmpty() ? "-" : mixed, coherence,
                    style.isEmpty() ? "-" : style, fidelity, fidelityAll, diversity);
        }

        public String markdown() {
            StringBuilder out = new StringBuilder(markdownHeader()).append('\n').append(markdownRow()).append("\n\n");
            out.append("Frequencies (samples against the data):\n");
            factors.values().forEach(f -> out.append(String.format(Locale.ROOT, "- %s: %s against %s%n",
                    f.name(), list(f.frequencies()), list(f.data()))));
            if (!fidelityByKind.isEmpty()) {
                out.append("Fidelity per region kind (share within the threshold, median distance, median distance "
                        + "of the mean colour; share within the threshold under any light):");
                fidelityByKind.forEach((k, v) -> out.append(String.format(Locale.ROOT, " %s %.2f, %.1f, %.1f; %.2f;",
                        k, v.withinThreshold(), v.medianDistance(), v.medianColourDistance(),
                        v.withinThresholdAnyLight())));
                out.append('\n');
            }
            if (!mixedBySize.isEmpty()) {
                out.append("Mixed by the smaller instance's size, split at its median (pixels; large / small apart, "
                        + "the same touching; pairs):");
                mixedBySize.forEach((k, v) -> out.append(String.format(Locale.ROOT,
                        " %s %d: %s / %s, %s / %s (%d, %d, %d, %d);", k, v.medianPixels(),
                        fmt(v.apartLarge()), fmt(v.apartSmall()), fmt(v.touchingLarge()), fmt(v.touchingSmall()),
                        v.pairs()[0], v.pairs()[1], v.pairs()[2], v.pairs()[3])));
                out.append('\n');
            }
            out.append("Diversity metric: ").append(diversityMetric).append('\n');
            return out.toString();
        }

        private static String fmt(Double v) {
            return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", v);
        }

        private static String list(double[] v) {
            StringBuilder s = new StringBuilder();
            for (double x : v) {
                s.append(s.isEmpty() ? "" : "/").append(String.format(Locale.ROOT, "%.2f", x));
            }
            return s.toString();
        }
    }

    private final RenderedScenes set;
    private final List<RenderedReader> readers;
    private final double threshold;

    /** Readers for every scene of a held-out set (each loads its scene's renders). */
    public RenderedEvaluation(RenderedScenes set, double threshold) {
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("fidelity threshold must be > 0, got " + threshold);
        }
        this.set = set;
        this.threshold = threshold;
        this.readers = set.scenes().stream().map(s -> new RenderedReader(set, s)).toList();
    }

    public RenderedScenes set() {
        return set;
    }

    public List<RenderedReader> readers() {
        return readers;
    }

    /**
     * The share of true factors (light, season, every visible instance's look) the reader recovers from the real
     * held-out renders: what says the reading can be trusted.
     */
    public double truth() {
        int right = 0;
        int total = 0;
        for (RenderedReader r : readers) {
            var scene = r.scene();
            RenderedReader.Reading read = r.read(scene.photo());
            right += read.light() == scene.light() ? 1 : 0;
            total++;
            if (read.season() >= 0) {
                right += read.season() == scene.season() ? 1 : 0;
                total++;
            }
            for (int k = 0; k < read.instanceValues().length; k++) {
                if (read.instanceValues()[k] >= 0) {
                    right += read.instanceValues()[k] == scene.instances().value()[k] ? 1 : 0;
                    total++;
                }
            }
        }
        return total == 0 ? Double.NaN : right / (double) total;
    }

    /** Samples a model for every held-out layout (codes from {@code seed}) and measures them. */
    public Report evaluate(String name, Sampler sampler, int samplesPerLayout, PairwiseDiversity diversity, long seed,
                           boolean zeroNoise) {
        List<List<RgbImage>> samples = draw(sampler, samplesPerLayout, seed, zeroNoise);
        List<List<RgbImage>> style = new ArrayList<>();
        if (!zeroNoise) {
            for (int j = 0; j < STYLE_CODES; j++) {
                LatentCode code = LatentCodes.sample(sampler.config(), seed ^ 0x5717_1E00L, j);
                List<RgbImage> row = new ArrayList<>();
                for (RenderedReader r : readers) {
                    row.add(sampler.generate(r.scene().layout(), List.of(code)).images().get(0));
                }
                style.add(row);
            }
        }
        return measure(name, samples, style, diversity, seed);
    }

    /** n samples for every held-out layout, layout i's codes from {@code seed + i} (zero codes for regression). */
    public List<List<RgbImage>> draw(Sampler sampler, int n, long seed, boolean zeroNoise) {
        List<List<RgbImage>> samples = new ArrayList<>();
        for (int i = 0; i < readers.size(); i++) {
            var layout = readers.get(i).scene().layout();
            samples.add(zeroNoise ? sampler.generate(layout, zeroCodes(sampler, n)).images()
                    : sampler.generate(layout, n, seed + i).images());
        }
        return samples;
    }

    /**
     * The figures for samples made elsewhere: {@code samples.get(i)} are layout i's; {@code style.get(j).get(i)} is
     * code j on layout i (empty: not measured).
     */
    public Report measure(String name, List<List<RgbImage>> samples, List<List<RgbImage>> style,
                          PairwiseDiversity diversity, long seed) {
        if (samples.size() != readers.size()) {
            throw new IllegalArgumentException(readers.size() + " layouts but samples for " + samples.size());
        }
        Factor light = set.factor("light");
        Factor season = set.factor("season");
        List<Factor> instanceFactors = set.factors().stream().filter(Factor::perInstance).toList();
        Map<String, Tally> tallies = new LinkedHashMap<>();
        tallies.put(light.name(), new Tally(light));
        tallies.put(season.name(), new Tally(season));
        instanceFactors.forEach(f -> tallies.put(f.name(), new Tally(f)));
        Map<String, List<Pair>> pairs = new LinkedHashMap<>();
        instanceFactors.forEach(f -> pairs.put(f.name(), new ArrayList<>()));
        double coherent = 0;
        int pictures = 0;
        long onRender = 0;
        long regionsRead = 0;
        int allOn = 0;
        Map<String, List<double[]>> distancesByKind = new LinkedHashMap<>();
        int n = samples.isEmpty() ? 0 : samples.get(0).size();
        for (int i = 0; i < readers.size(); i++) {
            RenderedReader reader = readers.get(i);
            List<RenderedReader.Reading> reads = samples.get(i).stream().map(reader::read).toList();
            tallies.get(light.name()).layout(reads.stream().mapToInt(RenderedReader.Reading::light).toArray());
            if (reads.get(0).season() >= 0) {
                tallies.get(season.name()).layout(reads.stream().mapToInt(RenderedReader.Reading::season).toArray());
            }
            var inst = reader.scene().instances();
            for (int k = 0; k < inst.count(); k++) {
                Factor f = set.instanceFactor(inst.classOf()[k]);
                if (f == null || reader.pixelsOf(k).length == 0) {
                    continue;
                }
                int kk = k;
                tallies.get(f.name()).layout(reads.stream().mapToInt(r -> r.instanceValues()[kk]).toArray());
            }
            int[] blob = blobs(reader);
            for (int a = 0; a < inst.count(); a++) {
                for (int b = a + 1; b < inst.count(); b++) {
                    Factor f = set.instanceFactor(inst.classOf()[a]);
                    if (f == null || inst.classOf()[a] != inst.classOf()[b] || blob[a] < 0 || blob[b] < 0) {
                        continue;
                    }
                    int ia = a;
                    int ib = b;
                    long differ = reads.stream().filter(r -> r.instanceValues()[ia] != r.instanceValues()[ib]).count();
                    pairs.get(f.name()).add(new Pair(blob[a] == blob[b],
                            Math.min(reader.pixelsOf(a).length, reader.pixelsOf(b).length), differ,
                            reads.size() * (1 - sumOfSquares(f.frequencies()))));
                }
            }
            for (RenderedReader.Reading r : reads) {
                pictures++;
                coherent += r.coherence();
                long on = r.regions().stream().filter(g -> g.distance() <= threshold).count();
                for (RenderedReader.Region g : r.regions()) {
                    distancesByKind.computeIfAbsent(kindOf(reader, g), k -> new ArrayList<>())
                            .add(new double[] {g.distance(), g.colourDistance(), g.ownDistance()});
                }
                onRender += on;
                regionsRead += r.regions().size();
                allOn += on == r.regions().size() ? 1 : 0;
            }
        }
        Map<String, FactorFigures> figures = new LinkedHashMap<>();
        tallies.forEach((k, t) -> figures.put(k, t.figures(n)));
        Map<String, Double> mixedApart = new LinkedHashMap<>();
        Map<String, Double> mixedTouching = new LinkedHashMap<>();
        Map<String, MixedBySize> mixedBySize = new LinkedHashMap<>();
        pairs.forEach((k, list) -> {
            mixedApart.put(k, mixed(list.stream().filter(p -> !p.touching()).toList()));
            mixedTouching.put(k, mixed(list.stream().filter(Pair::touching).toList()));
            if (!list.isEmpty()) {
                mixedBySize.put(k, mixedBySize(list));
            }
        });
        Map<String, Double> kept = styleKept(style);
        DiversityResult div = diversity == null ? new DiversityResult("not measured", 0, 0, Double.NaN, Double.NaN)
                : diversity.measureImages(samples, seed);
        return new Report(name, readers.size(), n, figures, mixedApart, mixedTouching,
                pictures == 0 ? Double.NaN : coherent / pictures, kept,
                regionsRead == 0 ? Double.NaN : onRender / (double) regionsRead,
                pictures == 0 ? Double.NaN : allOn / (double) pictures, div.mean(), div.metric(),
                fidelityByKind(distancesByKind), mixedBySize);
    }

    /** A region's kind for the breakdown: sky, ground, vegetation, or an instance's factor (paint, facade, ...). */
    private String kindOf(RenderedReader reader, RenderedReader.Region region) {
        if (region.instance() < 0) {
            return region.kind();
        }
        Factor f = set.instanceFactor(reader.scene().instances().classOf()[region.instance()]);
        return f == null ? "other instance" : f.name();
    }

    /** Differing reads over independent draws' (NaN without pairs). */
    private static double mixed(List<Pair> pairs) {
        double differ = pairs.stream().mapToDouble(Pair::differ).sum();
        double expected = pairs.stream().mapToDouble(Pair::expected).sum();
        return expected > 0 ? differ / expected : Double.NaN;
    }

    /** One class's pairs split at the median of the smaller instance's pixels, apart and touching. */
    private static MixedBySize mixedBySize(List<Pair> pairs) {
        int[] sizes = pairs.stream().mapToInt(Pair::smallerPixels).sorted().toArray();
        int median = sizes[sizes.length / 2];
        List<List<Pair>> cells = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Pair p : pairs) { // apart large, apart small, touching large, touching small
            cells.get((p.touching() ? 2 : 0) + (p.smallerPixels() < median ? 1 : 0)).add(p);
        }
        return new MixedBySize(median, mixed(cells.get(0)), mixed(cells.get(1)), mixed(cells.get(2)),
                mixed(cells.get(3)), cells.stream().mapToInt(List::size).toArray());
    }

    /** Per kind, from every region's {distance, mean-colour distance, distance to its nearest light's render}. */
    private Map<String, KindFidelity> fidelityByKind(Map<String, List<double[]>> distances) {
        Map<String, KindFidelity> out = new LinkedHashMap<>();
        distances.forEach((kind, d) -> {
            double[] sorted = d.stream().mapToDouble(x -> x[0]).sorted().toArray();
            double[] colours = d.stream().mapToDouble(x -> x[1]).sorted().toArray();
            long on = Arrays.stream(sorted).filter(x -> x <= threshold).count();
            long onAny = d.stream().filter(x -> x[2] <= threshold).count();
            out.put(kind, new KindFidelity(on / (double) sorted.length, sorted[sorted.length / 2],
                    colours[colours.length / 2], onAny / (double) sorted.length));
        });
        return out;
    }

    /** Per code, the share of layouts showing the code's most frequent light (and season), averaged over codes. */
    private Map<String, Double> styleKept(List<List<RgbImage>> style) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (style == null || style.isEmpty()) {
            return out;
        }
        double lightSum = 0;
        double seasonSum = 0;
        for (List<RgbImage> row : style) {
            int[] lights = new int[set.factor("light").size()];
            int[] seasons = new int[set.factor("season").size()];
            int withSeason = 0;
            for (int i = 0; i < row.size(); i++) {
                RenderedReader.Reading r = readers.get(i).read(row.get(i));
                lights[r.light()]++;
                if (r.season() >= 0) {
                    seasons[r.season()]++;
                    withSeason++;
                }
            }
            lightSum += Arrays.stream(lights).max().orElse(0) / (double) row.size();
            seasonSum += withSeason == 0 ? 1 : Arrays.stream(seasons).max().orElse(0) / (double) withSeason;
        }
        out.put("light", lightSum / style.size());
        out.put("season", seasonSum / style.size());
        return out;
    }

    /** Per instance, the class-map blob (connected component) most of its pixels lie in; -1 where hidden. */
    private static int[] blobs(RenderedReader reader) {
        // The class map alone: touching means one blob of the class, whatever instance map the layout carries.
        LayoutComponents components = LayoutComponents.of(reader.scene().layout().withInstances(null));
        int[] out = new int[reader.instances()];
        for (int k = 0; k < out.length; k++) {
            Map<Integer, Integer> votes = new LinkedHashMap<>();
            for (int p : reader.pixelsOf(k)) {
                votes.merge(components.componentAt(p), 1, Integer::sum);
            }
            out[k] = votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(-1);
        }
        return out;
    }

    private static double sumOfSquares(double[] p) {
        double s = 0;
        for (double x : p) {
            s += x * x;
        }
        return s;
    }

    /** n zero codes: what a regression (no-noise) model is sampled with. */
    public static List<LatentCode> zeroCodes(Sampler sampler, int n) {
        int[] shape = LatentCodes.shapeFor(sampler.config());
        LatentCode zero = LatentCode.ofValues(new float[LatentCode.fromSeed(0, shape).size()], shape);
        return Collections.nCopies(n, zero);
    }

    /** Values read for one factor: per unit (layout or instance) the values its samples show, and all counts. */
    private static final class Tally {
        private final Factor factor;
        private final long[] counts;
        private double coverageSum;
        private int units;

        Tally(Factor factor) {
            this.factor = factor;
            this.counts = new long[factor.size()];
        }

        void layout(int[] values) {
            boolean[] seen = new boolean[factor.size()];
            for (int v : values) {
                if (v >= 0 && v < seen.length) {
                    seen[v] = true;
                    counts[v]++;
                }
            }
            int shown = 0;
            for (boolean s : seen) {
                shown += s ? 1 : 0;
            }
            coverageSum += shown / (double) seen.length;
            units++;
        }

        FactorFigures figures(int n) {
            long total = Arrays.stream(counts).sum();
            double[] freq = new double[counts.length];
            double tv = 0;
            double ceiling = 0;
            int rarest = 0;
            double[] p = normalised(factor.frequencies());
            for (int v = 0; v < freq.length; v++) {
                freq[v] = total == 0 ? 0 : counts[v] / (double) total;
                tv += Math.abs(freq[v] - p[v]) / 2;
                ceiling += (1 - Math.pow(1 - p[v], n)) / freq.length;
                if (p[v] < p[rarest]) {
                    rarest = v;
                }
            }
            return new FactorFigures(factor.name(), units == 0 ? Double.NaN : coverageSum / units, ceiling, freq, p, tv,
                    p[rarest] > 0 ? freq[rarest] / p[rarest] : Double.NaN);
        }

        private static double[] normalised(double[] p) {
            double s = Arrays.stream(p).sum();
            return Arrays.stream(p).map(x -> x / s).toArray();
        }
    }
}
