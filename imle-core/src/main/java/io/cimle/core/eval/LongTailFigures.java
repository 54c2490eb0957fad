package io.cimle.core.eval;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.ModeReader;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.ToyScenes.Instances;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link ModeCoverage} leaves out when appearances are not equally likely ({@link ToyScenes.Variant#LONG_TAIL}):
 * how often the samples show each appearance against how often the data does. Per instance class (car paint, facade)
 * every instance's reading in every sample counts once; per scene-wide factor (sky weather) every sample counts once.
 * The figures: the total variation between the two frequency vectors, each appearance's share over its data share
 * (the rarest's is the one a long tail drops first), coverage against its ceiling (what a sampler drawing the data's
 * frequencies reaches with the same number of samples: a 4% paint is shown by 20 samples of one car only 56% of
 * the time), whether one code keeps its scene-wide look across layouts, and whether facade windows are drawn.
 */
public final class LongTailFigures {
    /**
     * The frequencies of one factor: the samples' (every read, each as its nearest look), the data's, the coverage
     * reached against its ceiling, and the same frequencies over the faithful reads only (within the threshold of
     * their look: a blend of red and blue reads as purple, and counts here only if it is purple) with the share of
     * reads that were faithful.
     */
    public record Factor(String name, double[] samples, double[] data, double coverage, double ceiling,
                         double[] faithfulSamples, double faithful) {
        public double tv() {
            double d = 0;
            for (int v = 0; v < data.length; v++) {
                d += Math.abs(samples[v] - data[v]);
            }
            return d / 2;
        }

        /** The sample share over the data share of the appearance the data draws least often. */
        public double rarestRatio() {
            int rarest = 0;
            for (int v = 1; v < data.length; v++) {
                rarest = data[v] < data[rarest] ? v : rarest;
            }
            return samples[rarest] / data[rarest];
        }

        /** The least sample share over data share among appearances with at least {@code minShare} of the data. */
        public double minRatio(double minShare) {
            double min = Double.POSITIVE_INFINITY;
            for (int v = 0; v < data.length; v++) {
                if (data[v] >= minShare) {
                    min = Math.min(min, samples[v] / data[v]);
                }
            }
            return min;
        }
    }

    /**
     * @param factors    car, building (per instance) and sky (scene-wide)
     * @param styleKept  per scene-wide factor (sky, vegetation): the share of layouts one code shows its most frequent
     *                   look on, averaged over codes; empty when not measured
     * @param windows    share of (sample, building block) pairs whose window panes lie within the threshold of glass
     */
    public record Result(Map<String, Factor> factors, Map<String, Double> styleKept, double windows) {
        public String markdown() {
            StringBuilder out = new StringBuilder();
            factors.values().forEach(f -> out.append(String.format(Locale.ROOT,
                    "%s: samples %s against data %s, TV %.2f, rarest %.2f of its share, coverage %.2f (ceiling %.2f), "
                            + "faithful reads %.2f: %s; ",
                    f.name(), join(f.samples()), join(f.data()), f.tv(), f.rarestRatio(), f.coverage(), f.ceiling(),
                    f.faithful(), join(f.faithfulSamples()))));
            StringBuilder style = new StringBuilder();
            styleKept.forEach((k, v) -> style.append(style.isEmpty() ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.2f", k, v)));
            out.append("one code across layouts: ").append(style.isEmpty() ? "-" : style)
                    .append(String.format(Locale.ROOT, "; windows drawn %.2f%n", windows));
            return out.toString();
        }

        private static String join(double[] v) {
            StringBuilder out = new StringBuilder();
            for (double x : v) {
                out.append(out.isEmpty() ? "" : "/").append(String.format(Locale.ROOT, "%.2f", x));
            }
            return out.toString();
        }
    }

    private final ToyScenes.Variant variant;
    private final double threshold;
    private final ModeReader reader;

    public LongTailFigures(ToyScenes.Variant variant, double threshold) {
        if (!variant.hasInstances()) {
            throw new IllegalArgumentException(variant + " has no instances to read");
        }
        this.variant = variant;
        this.threshold = threshold;
        this.reader = new ModeReader(new HashSet<>(variant.modes()));
    }

    /**
     * @param samples {@code samples.get(i)} are layout i's, at least one each
     * @param style   {@code style.get(j).get(i)}: code j on layout i (empty: not measured)
     */
    public Result measure(List<ClassMap> layouts, List<Instances> instances, List<List<RgbImage>> samples,
                          List<List<RgbImage>> style) {
        if (layouts.size() != instances.size() || layouts.size() != samples.size() || layouts.isEmpty()) {
            throw new IllegalArgumentException(layouts.size() + " layouts, " + instances.size() + " instance maps, "
                    + samples.size() + " sample lists");
        }
        int n = samples.get(0).size();
        Map<String, Factor> factors = new LinkedHashMap<>();
        for (int cls : variant.instanceClasses()) {
            factors.put(name(cls), instanceFactor(cls, layouts, instances, samples, n));
        }
        factors.put("sky", skyFactor(layouts, samples, n));
        long windowsOn = 0;
        long windowsRead = 0;
        for (int i = 0; i < layouts.size(); i++) {
            for (RgbImage image : samples.get(i)) {
                for (double d : windowDistances(layouts.get(i), instances.get(i), image)) {
                    windowsRead++;
                    windowsOn += d <= threshold ? 1 : 0;
                }
            }
        }
        return new Result(factors, styleKept(layouts, style),
                windowsRead == 0 ? Double.NaN : windowsOn / (double) windowsRead);
    }

    private Factor instanceFactor(int cls, List<ClassMap> layouts, List<Instances> instances,
                                  List<List<RgbImage>> samples, int n) {
        int values = variant.instanceValues(cls);
        double[] data = variant.instanceFrequencies(cls);
        double[] counts = new double[values];
        double[] faithful = new double[values];
        double[] coverage = new double[1];
        int readInstances = forEachInstance(cls, instances.subList(0, layouts.size()), (i, inst, k) -> {
            boolean[] shown = new boolean[values];
            for (RgbImage image : samples.get(i)) {
                ModeReader.Region g = ModeReader.readInstance(cls, meanOf(inst, k, image), ToyScenes.TimeOfDay.DAY,
                        values);
                int v = g.prototype();
                counts[v]++;
                faithful[v] += g.distance() <= threshold ? 1 : 0;
                shown[v] = true;
            }
            int hit = 0;
            for (boolean b : shown) {
                hit += b ? 1 : 0;
            }
            coverage[0] += hit / (double) values;
        });
        return new Factor(name(cls), normalise(counts), data, readInstances == 0 ? Double.NaN
                : coverage[0] / readInstances, ceiling(data, n), normalise(faithful), share(faithful, counts));
    }

    private interface InstanceVisit {
        void visit(int scene, Instances instances, int k);
    }

    /** Visits every non-empty instance of class {@code cls} in every scene; returns how many it visited. */
    private static int forEachInstance(int cls, List<Instances> instances, InstanceVisit visit) {
        int visited = 0;
        for (int i = 0; i < instances.size(); i++) {
            Instances inst = instances.get(i);
            int[] sizes = inst.sizes();
            for (int k = 0; k < inst.count(); k++) {
                if (inst.classOf()[k] == cls && sizes[k] > 0) {
                    visit.visit(i, inst, k);
                    visited++;
                }
            }
        }
        return visited;
    }

    /**
     * Per appearance of class {@code cls}: the share of the instances of that appearance that {@code images} (one per
     * scene, e.g. the model at each training example's matched code) draw faithfully as it (NaN where none has it).
     * Where samples never show a look, this tells whether training never fitted it or sampling never reaches it.
     */
    public double[] recall(int cls, List<Instances> instances, List<RgbImage> images) {
        return fitReads(cls, instances, images)[0];
    }

    /**
     * Per appearance v of class {@code cls} and appearance p: the share of the instances of v that {@code images} draw
     * nearest p (faithful or not): what a look that is not drawn is drawn as instead.
     */
    public double[][] confusion(int cls, List<Instances> instances, List<RgbImage> images) {
        double[][] reads = fitReads(cls, instances, images);
        return Arrays.copyOfRange(reads, 1, reads.length);
    }

    /** Row 0: recall per look; rows 1 + v: look v's reads by nearest look. */
    private double[][] fitReads(int cls, List<Instances> instances, List<RgbImage> images) {
        int values = variant.instanceValues(cls);
        double[][] read = new double[values][values];
        double[] hits = new double[values];
        double[] all = new double[values];
        forEachInstance(cls, instances, (i, inst, k) -> {
            ModeReader.Region g = ModeReader.readInstance(cls, meanOf(inst, k, images.get(i)), ToyScenes.TimeOfDay.DAY,
                    values);
            int v = inst.value()[k];
            all[v]++;
            hits[v] += g.prototype() == v && g.distance() <= threshold ? 1 : 0;
            read[v][g.prototype()]++;
        });
        double[][] out = new double[values + 1][values];
        for (int v = 0; v < values; v++) {
            out[0][v] = all[v] == 0 ? Double.NaN : hits[v] / all[v];
            for (int p = 0; p < values; p++) {
                out[1 + v][p] = all[v] == 0 ? Double.NaN : read[v][p] / all[v];
            }
        }
        return out;
    }

    private Factor skyFactor(List<ClassMap> layouts, List<List<RgbImage>> samples, int n) {
        double[] data = variant.skyFrequencies();
        double[] counts = new double[data.length];
        double[] faithful = new double[data.length];
        double coverage = 0;
        int read = 0;
        for (int i = 0; i < layouts.size(); i++) {
            if (layouts.get(i).histogram()[ToyScenes.SKY] == 0) {
                continue;
            }
            boolean[] shown = new boolean[data.length];
            for (RgbImage image : samples.get(i)) {
                ModeReader.Reading r = reader.readImage(layouts.get(i), image);
                int w = r.skyWeather();
                if (w >= 0) {
                    counts[w]++;
                    faithful[w] += r.regions().stream().anyMatch(g -> g.classId() == ToyScenes.SKY
                            && g.distance() <= threshold) ? 1 : 0;
                    shown[w] = true;
                }
            }
            int hit = 0;
            for (boolean b : shown) {
                hit += b ? 1 : 0;
            }
            coverage += hit / (double) data.length;
            read++;
        }
        return new Factor("sky", normalise(counts), data, read == 0 ? Double.NaN : coverage / read, ceiling(data, n),
                normalise(faithful), share(faithful, counts));
    }

    /** Per code, the share of layouts showing that code's most frequent sky (and season), averaged over codes. */
    private Map<String, Double> styleKept(List<ClassMap> layouts, List<List<RgbImage>> style) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (style == null || style.isEmpty()) {
            return out;
        }
        double sky = 0;
        double season = 0;
        for (List<RgbImage> row : style) {
            if (row.size() != layouts.size()) {
                throw new IllegalArgumentException("a style code has " + row.size() + " samples for " + layouts.size()
                        + " layouts");
            }
            int[] skies = new int[variant.skyFrequencies().length];
            int[] seasons = new int[variant.modes().stream().mapToInt(ToyScenes.Mode::vegetationSeason).max().orElse(0) + 1];
            int withSky = 0;
            int withSeason = 0;
            for (int i = 0; i < row.size(); i++) {
                ModeReader.Reading r = reader.readImage(layouts.get(i), row.get(i));
                if (r.skyWeather() >= 0) {
                    skies[r.skyWeather()]++;
                    withSky++;
                }
                if (r.vegetationSeason() >= 0) {
                    seasons[r.vegetationSeason()]++;
                    withSeason++;
                }
            }
            sky += withSky == 0 ? 1 : Arrays.stream(skies).max().orElse(0) / (double) withSky;
            season += withSeason == 0 ? 1 : Arrays.stream(seasons).max().orElse(0) / (double) withSeason;
        }
        out.put("sky", sky / style.size());
        out.put("vegetation", season / style.size());
        return out;
    }

    /**
     * Per building block with window panes (building pixels of no instance inside the block's box), the distance
     * of the panes' mean colour from glass; empty for scenes without windows.
     */
    static double[] windowDistances(ClassMap layout, Instances inst, RgbImage image) {
        int w = layout.width();
        int[] at = inst.instanceAt();
        int[][] box = new int[inst.count()][]; // x0, y0, x1, y1 of each building instance
        for (int p = 0; p < at.length; p++) {
            int k = at[p];
            if (k >= 0 && inst.classOf()[k] == ToyScenes.BUILDING) {
                int x = p % w;
                int y = p / w;
                box[k] = box[k] == null ? new int[] {x, y, x + 1, y + 1}
                        : new int[] {Math.min(box[k][0], x), Math.min(box[k][1], y), Math.max(box[k][2], x + 1),
                                Math.max(box[k][3], y + 1)};
            }
        }
        byte[] rgb = image.rgb();
        double[] out = new double[inst.count()];
        int blocks = 0;
        for (int k = 0; k < inst.count(); k++) {
            if (box[k] == null) {
                continue;
            }
            double[] sum = new double[3];
            int panes = 0;
            for (int y = box[k][1]; y < box[k][3]; y++) {
                for (int x = box[k][0]; x < box[k][2]; x++) {
                    int p = y * w + x;
                    if (at[p] < 0 && layout.at(x, y) == ToyScenes.BUILDING) {
                        for (int c = 0; c < 3; c++) {
                            sum[c] += rgb[3 * p + c] & 0xff;
                        }
                        panes++;
                    }
                }
            }
            if (panes > 0) {
                double d = 0;
                for (int c = 0; c < 3; c++) {
                    double diff = sum[c] / panes - ToyScenes.WINDOW_COLOUR[c];
                    d += diff * diff;
                }
                out[blocks++] = Math.sqrt(d);
            }
        }
        return Arrays.copyOf(out, blocks);
    }

    private static double[] meanOf(Instances inst, int k, RgbImage image) {
        double[] sum = new double[3];
        int size = 0;
        byte[] rgb = image.rgb();
        int[] at = inst.instanceAt();
        for (int p = 0; p < at.length; p++) {
            if (at[p] == k) {
                for (int c = 0; c < 3; c++) {
                    sum[c] += rgb[3 * p + c] & 0xff;
                }
                size++;
            }
        }
        return new double[] {sum[0] / size, sum[1] / size, sum[2] / size};
    }

    /** The coverage a sampler drawing the data's frequencies reaches in expectation with {@code n} samples. */
    static double ceiling(double[] data, int n) {
        double sum = 0;
        for (double p : data) {
            sum += 1 - Math.pow(1 - p, n);
        }
        return sum / data.length;
    }

    private static double share(double[] part, double[] all) {
        double total = Arrays.stream(all).sum();
        return total == 0 ? Double.NaN : Arrays.stream(part).sum() / total;
    }

    private static double[] normalise(double[] counts) {
        double total = Arrays.stream(counts).sum();
        return Arrays.stream(counts).map(c -> total == 0 ? 0 : c / total).toArray();
    }

    private static String name(int cls) {
        return cls == ToyScenes.CAR ? "car" : cls == ToyScenes.BUILDING ? "building" : "class " + cls;
    }
}
