package io.cimle.core.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Appearance rarity (paper section 3.7): per (image, class present) the mean RGB colour; per class a
 * Gaussian KDE over those colours (Scott's rule, full covariance as scipy's gaussian_kde); the rarity
 * of (image, class) is 1 / density(mean colour). Scores are kept as logs (-log density) because
 * densities of RGB means under-/overflow easily. Immutable; JSON round trip for checkpoints.
 *
 * <p>Per instance ({@link Config#perInstance()}): the KDE of a class is over its instances' own mean colours
 * ({@link InstanceColours}), an (image, class) scores as its rarest instance, and a pixel weighs as its own
 * instance, for the classes whose instances differ in look ({@link InstanceClasses}, as the code's parts; named by
 * {@link #instanceClasses()} so a sampler can rebalance them too); every other class keeps its mean colour.
 */
public final class RarityStatistics {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How {@link #lossMask} scales scores into (0, 1]. */
    public enum Normalisation {
        /** Divide by the largest score among the image's classes (the rarest region of the image weighs 1). */
        IMAGE_MAX,
        /** Divide by the largest score in the whole fitted data set (common images weigh little overall). */
        DATASET_MAX
    }

    /**
     * @param minImages     classes present in fewer images get no KDE (their pixels weigh {@code voidWeight});
     *                      default 5, since a KDE over a handful of points says little
     * @param minBandwidth  standard deviation (RGB units) added to the Scott bandwidth on every axis so a
     *                      class of (nearly) constant colour still has an invertible kernel; default 1.0
     * @param voidWeight    mask weight of the void channel and of classes without KDE, in (0, 1]; default 1.0
     * @param normalisation default IMAGE_MAX (the reference divides each mask by its maximum)
     * @param perInstance   score each instance by its own mean colour (false: the class's mean, the paper's)
     * @param givenScene    with {@code perInstance}: an instance's look scored by its density among the looks of
     *                      scenes coloured like its own (a conditional KDE given the scene's colour, {@link
     *                      ClassColours#sceneMean}), so a common paint under a rare light does not read as rare
     */
    public record Config(int minImages, double minBandwidth, double voidWeight, Normalisation normalisation,
                         boolean perInstance, boolean givenScene) {
        public static final Config DEFAULT = new Config(5, 1.0, 1.0, Normalisation.IMAGE_MAX);

        public Config(int minImages, double minBandwidth, double voidWeight, Normalisation normalisation) {
            this(minImages, minBandwidth, voidWeight, normalisation, false, false);
        }

        public Config withPerInstance(boolean on) {
            return new Config(minImages, minBandwidth, voidWeight, normalisation, on, givenScene);
        }

        public Config withGivenScene(boolean on) {
            return new Config(minImages, minBandwidth, voidWeight, normalisation, perInstance, on);
        }

        public Config {
            if (minImages < 2) {
                throw new IllegalArgumentException("minImages must be at least 2 (a covariance needs 2 points), got "
                        + minImages);
            }
            if (!(minBandwidth > 0)) {
                throw new IllegalArgumentException("minBandwidth must be positive, got " + minBandwidth);
            }
            if (!(voidWeight > 0 && voidWeight <= 1)) {
                throw new IllegalArgumentException("voidWeight must be in (0, 1], got " + voidWeight);
            }
            Objects.requireNonNull(normalisation, "normalisation");
        }
    }

    /**
     * A Gaussian KDE in RGB: kernel centres, inverse bandwidth matrix (row-major 3x3), log normaliser; optionally each
     * centre's scene colour with its own inverse bandwidth, for densities given a scene (null: marginal only), that
     * bandwidth {@code sceneScale} times Scott's (0 without scenes).
     */
    public record ClassKde(int classId, double[][] points, double[] inverseBandwidth, double logNorm,
                           double[][] scenes, double[] sceneInverseBandwidth, double sceneScale) {
        /** Scene bandwidths tried, as multiples of Scott's; the looks' likelihood, a photo left out at a time, picks. */
        static final double[] SCENE_SCALES = {0.25, 0.5, 1, 2, 4};
        /** Looks the choice of scene bandwidth is scored on at most (each against every look), evenly spaced. */
        static final int SCENE_QUERIES = 2000;
        /** Standard errors by which a scene bandwidth's left-out likelihood must beat ignoring the scene. */
        static final double SCENE_GAIN_ERRORS = 2;

        static ClassKde fit(int classId, List<double[]> colours, double minBandwidth) {
            int n = colours.size();
            double[] h = bandwidth(colours, minBandwidth);
            double det = det3(h);
            double[] inv = inverse3(h, det);
            double logNorm = -1.5 * Math.log(2 * Math.PI) - 0.5 * Math.log(det) - Math.log(n);
            return new ClassKde(classId, colours.toArray(new double[0][]), inv, logNorm, null, null, 0);
        }

        /**
         * This KDE given each centre's scene colour ({@code scenes}, aligned with the centres, from the photos {@code
         * imageOf}), at the scene bandwidth under which the looks are likeliest, each photo's looks left out of their
         * own estimate (likelihood cross-validation, as for conditional densities: a scene that says nothing of the
         * look is smoothed away; by photo, since a photo's instances share its scene and may share more, an exposure,
         * which would otherwise pass for the scene's doing); this KDE itself unless the best bandwidth beats ignoring
         * the scene by more than {@link #SCENE_GAIN_ERRORS} standard errors of the gain (over photos): on a few dozen
         * photos a scene that tells nothing still wins by chance now and then, and conditioning on it only thins the
         * looks each is judged against.
         */
        ClassKde givenScenes(List<double[]> scenes, int[] imageOf, double minBandwidth) {
            if (scenes.size() != points.length || imageOf.length != points.length) {
                throw new IllegalArgumentException(scenes.size() + " scene colours for " + points.length + " looks");
            }
            double[][] s = scenes.toArray(new double[0][]);
            double[] h = bandwidth(scenes, minBandwidth);
            double[] scott = inverse3(h, det3(h));
            double[][] byPhoto = leftOutLikelihoods(s, imageOf, scott);
            double[] score = new double[SCENE_SCALES.length + 1];
            for (double[] photo : byPhoto) {
                for (int k = 0; k < score.length; k++) {
                    score[k] += photo[k];
                }
            }
            int best = 0;
            for (int k = 1; k < SCENE_SCALES.length; k++) {
                best = score[k + 1] > score[best + 1] ? k : best;
            }
            double gain = score[best + 1] - score[0];
            double mean = gain / byPhoto.length;
            double squares = 0;
            for (double[] photo : byPhoto) {
                double d = photo[best + 1] - photo[0] - mean;
                squares += d * d;
            }
            double error = Math.sqrt(byPhoto.length * squares / Math.max(1, byPhoto.length - 1));
            if (!(gain > SCENE_GAIN_ERRORS * error)) {
                return this;
            }
            double[] inv = scott.clone();
            for (int i = 0; i < 9; i++) {
                inv[i] /= SCENE_SCALES[best] * SCENE_SCALES[best];
            }
            return new ClassKde(classId, points, inverseBandwidth, logNorm, s, inv, SCENE_SCALES[best]);
        }

        /**
         * Per photo with a look scored, the sum over its (up to {@link #SCENE_QUERIES} in all) looks of the log density
         * of each given the other photos' looks: [0] ignoring the scene, [k + 1] given it at {@code SCENE_SCALES[k]}
         * times Scott's bandwidth (kernel constants left out: they are the same for all).
         */
        private double[][] leftOutLikelihoods(double[][] scenes, int[] imageOf, double[] scottInverse) {
            int n = points.length;
            int step = Math.max(1, n / SCENE_QUERIES);
            Map<Integer, double[]> byPhoto = new LinkedHashMap<>();
            double[] qa = new double[n];
            double[] qs = new double[n];
            double[] terms = new double[n];
            for (int i = 0; i < n; i += step) {
                int others = 0;
                for (int j = 0; j < n; j++) {
                    boolean out = imageOf[j] == imageOf[i];
                    others += out ? 0 : 1;
                    qa[j] = out ? Double.NEGATIVE_INFINITY : -0.5 * quadratic(inverseBandwidth, points[i], points[j]);
                    qs[j] = out ? Double.NEGATIVE_INFINITY : -0.5 * quadratic(scottInverse, scenes[i], scenes[j]);
                }
                if (others == 0) {
                    continue;
                }
                double[] score = byPhoto.computeIfAbsent(imageOf[i], k -> new double[SCENE_SCALES.length + 1]);
                score[0] += logSumExp(qa) - Math.log(others);
                for (int k = 0; k < SCENE_SCALES.length; k++) {
                    double f = 1 / (SCENE_SCALES[k] * SCENE_SCALES[k]);
                    for (int j = 0; j < n; j++) {
                        terms[j] = qa[j] + qs[j] * f;
                    }
                    double joint = logSumExp(terms);
                    for (int j = 0; j < n; j++) {
                        terms[j] = qs[j] * f;
                    }
                    score[k + 1] += joint - logSumExp(terms);
                }
            }
            return byPhoto.values().toArray(new double[0][]);
        }

        private static double logSumExp(double[] v) {
            double max = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                max = Math.max(max, x);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                return max;
            }
            double sum = 0;
            for (double x : v) {
                sum += Math.exp(x - max);
            }
            return max + Math.log(sum);
        }

        /** Scott's rule on the points' full covariance, {@code minBandwidth} added on every axis. */
        private static double[] bandwidth(List<double[]> pts, double minBandwidth) {
            int n = pts.size();
            double[] mean = new double[3];
            for (double[] c : pts) {
                for (int k = 0; k < 3; k++) {
                    mean[k] += c[k] / n;
                }
            }
            double[] cov = new double[9];
            for (double[] c : pts) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        cov[i * 3 + j] += (c[i] - mean[i]) * (c[j] - mean[j]) / (n - 1);
                    }
                }
            }
            double factor2 = Math.pow(n, -2.0 / (3 + 4)); // Scott: n^(-1/(d+4)), squared for a covariance
            double[] h = new double[9];
            for (int i = 0; i < 9; i++) {
                h[i] = cov[i] * factor2;
            }
            for (int i = 0; i < 3; i++) {
                h[i * 3 + i] += minBandwidth * minBandwidth;
            }
            return h;
        }

        /**
         * The density of a colour known only up to {@code error} (its covariance, 3x3 row-major): the kernels widened
         * by it, as the density of the estimate's distribution.
         */
        public double logDensity(double[] x, double[] error) {
            return logDensityGiven(x, error, null);
        }

        /**
         * The density of a colour known up to {@code error} (null: exactly) in a scene coloured {@code scene} (null,
         * or a KDE without scenes: over all scenes): each kernel weighed by how near its scene is to this one.
         */
        public double logDensityGiven(double[] x, double[] error, double[] scene) {
            if (error == null) {
                return logDensityAt(x, scene);
            }
            double[] h = inverse3(inverseBandwidth, det3(inverseBandwidth));
            for (int i = 0; i < 9; i++) {
                h[i] += error[i];
            }
            double det = det3(h);
            double[] inv = inverse3(h, det);
            double hDet = 1 / det3(inverseBandwidth);
            double norm = logNorm + 0.5 * Math.log(hDet) - 0.5 * Math.log(det);
            return new ClassKde(classId, points, inv, norm, scenes, sceneInverseBandwidth, sceneScale)
                    .logDensityAt(x, scene);
        }

        public double logDensity(double[] x) {
            return logDensityAt(x, null);
        }

        private double logDensityAt(double[] x, double[] scene) {
            boolean given = scene != null && scenes != null;
            double[] q = new double[points.length];
            double[] qs = given ? new double[points.length] : null;
            double max = Double.NEGATIVE_INFINITY;
            double maxScene = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < points.length; p++) {
                q[p] = -0.5 * quadratic(inverseBandwidth, x, points[p]);
                if (given) {
                    qs[p] = -0.5 * quadratic(sceneInverseBandwidth, scene, scenes[p]);
                    q[p] += qs[p];
                    maxScene = Math.max(maxScene, qs[p]);
                }
                max = Math.max(max, q[p]);
            }
            double sum = 0;
            for (double v : q) {
                sum += Math.exp(v - max);
            }
            if (!given) {
                return logNorm + max + Math.log(sum);
            }
            double sceneSum = 0;
            for (double v : qs) {
                sceneSum += Math.exp(v - maxScene);
            }
            // sum_p K(x - x_p) K(s - s_p) / sum_p K(s - s_p); logNorm holds -log n, which the ratio does not divide by
            return logNorm + Math.log(points.length) + max + Math.log(sum) - maxScene - Math.log(sceneSum);
        }

        /** The quadratic form (x - centre)' m (x - centre) of a 3x3 row-major matrix {@code m}. */
        public static double quadratic(double[] m, double[] x, double[] centre) {
            double d0 = x[0] - centre[0];
            double d1 = x[1] - centre[1];
            double d2 = x[2] - centre[2];
            return d0 * (m[0] * d0 + m[1] * d1 + m[2] * d2) + d1 * (m[3] * d0 + m[4] * d1 + m[5] * d2)
                    + d2 * (m[6] * d0 + m[7] * d1 + m[8] * d2);
        }
    }

    /** Serialised form. */
    record State(int channels, Config config, List<ClassKde> kdes, Map<String, double[]> logScores,
                 Map<String, boolean[]> present, int[] instanceClasses) {
    }

    private final int channels;
    private final Config config;
    private final ClassKde[] kdes;
    /** Per id, per channel: -log density of the image's mean colour, or NaN where absent / no KDE. */
    private final Map<String, double[]> logScores;
    /** Per id, per channel: whether the class occurs in the image (for the sampler, even without KDE). */
    private final Map<String, boolean[]> present;
    private final double maxLogScore;
    /** Classes scored per instance (per-instance statistics only; else empty). */
    private final int[] instanceClasses;

    private RarityStatistics(int channels, Config config, ClassKde[] kdes, Map<String, double[]> logScores,
                             Map<String, boolean[]> present, int[] instanceClasses) {
        this.instanceClasses = instanceClasses == null ? new int[0] : instanceClasses.clone();
        this.channels = channels;
        this.config = config;
        this.kdes = kdes;
        this.logScores = logScores;
        this.present = present;
        double m = Double.NEGATIVE_INFINITY;
        for (double[] s : logScores.values()) {
            for (int c = 0; c < s.length - 1; c++) {
                if (!Double.isNaN(s[c])) {
                    m = Math.max(m, s[c]);
                }
            }
        }
        this.maxLogScore = m;
    }

    public static RarityStatistics fit(List<Example> examples, Config config) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("rarity statistics need at least one example");
        }
        int channels = examples.get(0).layout().channels();
        List<List<double[]>> colours = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            colours.add(new ArrayList<>());
        }
        Map<String, List<List<double[][]>>> looks = new LinkedHashMap<>(); // per id, per class: {colour, error}s
        // Per instance only where the data says instances of a class differ in look (InstanceClasses, as the code's
        // parts): a road cut in pieces by cars is one look, and its small pieces' noisy means would read as rare.
        boolean[] perInstance = new boolean[channels];
        if (config.perInstance()) {
            for (int c : InstanceClasses.fit(examples)) {
                perInstance[c] = true;
            }
        }
        for (Example e : examples) {
            if (e.layout().channels() != channels) {
                throw new IllegalArgumentException("example '" + e.id() + "' has " + e.layout().channels()
                        + " channels, the first had " + channels);
            }
            List<List<double[][]>> mine = looksOf(e, config, channels, perInstance);
            if (looks.put(e.id(), mine) != null) {
                throw new IllegalArgumentException("duplicate example id '" + e.id() + "'");
            }
            for (int c = 0; c < channels; c++) {
                for (double[][] look : mine.get(c)) {
                    colours.get(c).add(look[0]);
                }
            }
        }
        ClassKde[] kdes = new ClassKde[channels];
        for (int c = 0; c < channels; c++) {
            if (colours.get(c).size() >= config.minImages()) {
                kdes[c] = ClassKde.fit(c, colours.get(c), config.minBandwidth());
            }
        }
        boolean[] scored = new boolean[channels];
        for (int c = 0; c < channels; c++) {
            scored[c] = perInstance[c] && kdes[c] != null;
        }
        Map<String, double[]> scenes = new java.util.HashMap<>();
        if (config.givenScene()) {
            givenScenes(examples, looks, scored, config, kdes, scenes);
        }
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, boolean[]> present = new LinkedHashMap<>();
        looks.forEach((id, m) -> {
            scores.put(id, rarestScores(kdes, m, scenes.get(id)));
            boolean[] p = new boolean[channels];
            for (int c = 0; c < channels; c++) {
                p[c] = !m.get(c).isEmpty();
            }
            present.put(id, p);
        });
        int[] instanceClasses = java.util.stream.IntStream.range(0, channels).filter(c -> scored[c]).toArray();
        return new RarityStatistics(channels, config, kdes, scores, present, instanceClasses);
    }

    /**
     * Gives the KDEs of the classes scored per instance each look's scene colour (the classes scored per instance left
     * out of it), and records each example's in {@code scenes}.
     */
    private static void givenScenes(List<Example> examples, Map<String, List<List<double[][]>>> looks,
                                    boolean[] scored, Config config, ClassKde[] kdes, Map<String, double[]> scenes) {
        List<List<double[]>> sceneOfLook = new ArrayList<>();
        List<List<Integer>> imageOfLook = new ArrayList<>();
        for (int c = 0; c < kdes.length; c++) {
            sceneOfLook.add(new ArrayList<>());
            imageOfLook.add(new ArrayList<>());
        }
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            double[] scene = ClassColours.sceneMean(e.layout(), e.photo(), scored);
            scenes.put(e.id(), scene);
            List<List<double[][]>> mine = looks.get(e.id());
            for (int c = 0; c < kdes.length; c++) {
                for (int k = 0; k < mine.get(c).size(); k++) {
                    sceneOfLook.get(c).add(scene);
                    imageOfLook.get(c).add(i);
                }
            }
        }
        for (int c = 0; c < kdes.length; c++) {
            if (scored[c]) {
                kdes[c] = kdes[c].givenScenes(sceneOfLook.get(c),
                        imageOfLook.get(c).stream().mapToInt(Integer::intValue).toArray(), config.minBandwidth());
            }
        }
    }

    /**
     * Per class, the colours an example's look is scored by, each with its error (null for a class mean): the
     * class's mean colour, or per instance each instance's own for the classes marked in {@code perInstance}.
     */
    private static List<List<double[][]>> looksOf(Example e, Config config, int channels, boolean[] perInstance) {
        List<List<double[][]>> out = new ArrayList<>(channels);
        if (config.perInstance()) {
            InstanceColours ic = InstanceColours.of(e.layout(), e.photo());
            double[][] m = ClassColours.means(e.layout(), e.photo());
            for (int c = 0; c < channels; c++) {
                if (!perInstance[c]) {
                    out.add(m[c] == null ? List.of() : List.<double[][]>of(new double[][] {m[c], null}));
                    continue;
                }
                List<double[]> colours = ic.looks(c);
                List<double[]> errors = ic.lookErrors(c);
                List<double[][]> looks = new ArrayList<>();
                for (int k = 0; k < colours.size(); k++) {
                    looks.add(new double[][] {colours.get(k), errors.get(k)});
                }
                out.add(looks);
            }
            return out;
        }
        double[][] m = ClassColours.means(e.layout(), e.photo());
        for (int c = 0; c < channels; c++) {
            out.add(m[c] == null ? List.of() : List.<double[][]>of(new double[][] {m[c], null}));
        }
        return out;
    }

    /**
     * Per class, -log density of its rarest look (NaN where absent or without KDE); a look with an error is scored
     * by the density of its estimate, so a small instance's noisy mean does not read as rare.
     */
    private static double[] rarestScores(ClassKde[] kdes, List<List<double[][]>> looks, double[] scene) {
        double[] s = new double[kdes.length];
        for (int c = 0; c < kdes.length; c++) {
            s[c] = Double.NaN;
            if (kdes[c] != null) {
                for (double[][] look : looks.get(c)) {
                    double v = -kdes[c].logDensityGiven(look[0], look[1], scene);
                    s[c] = Double.isNaN(s[c]) ? v : Math.max(s[c], v);
                }
            }
        }
        return s;
    }

    /** The classes scored per instance, whose instances differ in look (none unless fitted per instance). */
    public int[] instanceClasses() {
        return instanceClasses.clone();
    }

    private boolean[] perInstanceClasses() {
        boolean[] out = new boolean[channels];
        for (int c : instanceClasses) {
            out[c] = true;
        }
        return out;
    }

    public int channels() {
        return channels;
    }

    /**
     * The scene bandwidth an instance class's looks are scored given, as a multiple of Scott's; 0 where they are scored
     * over all scenes (not fitted given scenes, no KDE, or the scene told nothing of the look).
     */
    public double sceneScale(int cls) {
        return kdes[cls] == null ? 0 : kdes[cls].sceneScale();
    }

    /** The inverse bandwidth (3x3 row-major) of the scene colours a class's looks are scored given; null where none. */
    public double[] sceneInverseBandwidth(int cls) {
        return kdes[cls] == null || kdes[cls].sceneInverseBandwidth() == null ? null
                : kdes[cls].sceneInverseBandwidth().clone();
    }

    public Config config() {
        return config;
    }

    /** Ids of the fitted examples, in fit order (the sampler's index space). */
    public List<String> ids() {
        return List.copyOf(logScores.keySet());
    }

    public boolean hasKde(int cls) {
        return kdes[cls] != null;
    }

    /** Whether the class occurs in the fitted example. */
    public boolean present(String id, int cls) {
        return known(present, id)[cls];
    }

    /** log(1 / density) of the class's mean colour in a fitted example; NaN if absent or without KDE. */
    public double logRarity(String id, int cls) {
        return known(logScores, id)[cls];
    }

    /** 1 / density of the class's mean colour in any example (fitted or not); NaN if absent or without KDE. */
    public double rarity(Example e, int cls) {
        return Math.exp(scoresOf(e)[cls]);
    }

    /**
     * Per-pixel weights in (0, 1], row-major: score of the pixel's class divided by the maximum score
     * (of the image or of the data set, per {@link Config#normalisation()}); void and classes without a
     * KDE weigh {@link Config#voidWeight()}.
     */
    /**
     * {@link #lossMask(Example)} with no weight below {@code floor} (a share of the image's rarest region's
     * weight, in [0, 1)): bounds the spread of the weights, which the ratio of the classes' colour
     * densities sets otherwise (see ImleConfig's rarityFloor).
     */
    public float[] lossMask(Example e, double floor) {
        if (!(floor >= 0 && floor < 1)) {
            throw new IllegalArgumentException("rarity floor must lie in [0, 1), got " + floor);
        }
        float[] mask = lossMask(e);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = Math.max(mask[i], (float) floor);
        }
        return mask;
    }

    public float[] lossMask(Example e) {
        if (e.layout().channels() != channels) {
            throw new IllegalArgumentException("example has " + e.layout().channels() + " channels, statistics "
                    + channels);
        }
        double[] s = scoresOf(e);
        double max;
        if (config.normalisation() == Normalisation.DATASET_MAX) {
            max = maxLogScore;
        } else {
            max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < channels - 1; c++) {
                if (!Double.isNaN(s[c])) {
                    max = Math.max(max, s[c]);
                }
            }
        }
        float[] weight = new float[channels];
        for (int c = 0; c < channels; c++) {
            weight[c] = c == channels - 1 || Double.isNaN(s[c]) ? (float) config.voidWeight()
                    : (float) Math.max(1e-6, Math.min(1.0, Math.exp(s[c] - max)));
        }
        int[] ids = e.layout().ids();
        float[] mask = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            mask[i] = weight[ids[i]];
        }
        if (config.perInstance()) {
            perInstanceWeights(e, ids, max, mask);
        }
        return mask;
    }

    /** Each instance's pixels weighed by the instance's own look (a fragment's by its class's mean). */
    private void perInstanceWeights(Example e, int[] ids, double max, float[] mask) {
        forEachInstancePixel(e, (pixel, c, score) -> mask[pixel] = (float) Math.max(1e-6, Math.min(1.0,
                Math.exp(score - max))));
    }

    private interface InstancePixel {
        void at(int pixel, int cls, double score);
    }

    /**
     * Every pixel of a class scored per instance, with its instance's score (-log density of the instance's own
     * look, known up to its error), computed once per instance.
     */
    private void forEachInstancePixel(Example e, InstancePixel visit) {
        InstanceColours ic = InstanceColours.of(e.layout(), e.photo());
        boolean[] perInstance = perInstanceClasses();
        double[] scene = sceneOf(e);
        Map<Integer, Double> byComponent = new java.util.HashMap<>();
        int[] ids = e.layout().ids();
        for (int i = 0; i < ids.length; i++) {
            int c = ids[i];
            if (c == channels - 1 || kdes[c] == null || !perInstance[c]) {
                continue;
            }
            int pixel = i;
            visit.at(i, c, byComponent.computeIfAbsent(ic.components().componentAt(i),
                    k -> -kdes[c].logDensityGiven(ic.lookAt(pixel), ic.lookErrorAt(pixel), scene)));
        }
    }

    /**
     * Per class: the mean of -log density over its fitted looks (the log of a typical look's density, where the
     * commonest look's peak would make a common look's spread read as rare); computed on first use; NaN without KDE.
     */
    private volatile double[] typicalScores;

    /**
     * Per pixel, for the classes scored per instance ({@link #instanceClasses()}): how many times rarer its instance's
     * look is than its class's typical look (the geometric mean density of the class's looks over the density at the
     * instance's look), between 1 and {@code cap}; 1 elsewhere. Weights a rare look of an instance up without touching
     * the rest of the image.
     */
    public float[] instanceRarity(Example e, double cap) {
        if (!(cap >= 1)) {
            throw new IllegalArgumentException("rarity cap must be at least 1, got " + cap);
        }
        float[] out = new float[e.layout().width() * e.layout().height()];
        java.util.Arrays.fill(out, 1f);
        if (instanceClasses.length == 0) {
            return out;
        }
        double[] typical = typicalScores();
        forEachInstancePixel(e, (pixel, c, score) -> out[pixel] = (float) Math.min(cap,
                Math.exp(Math.max(0, score - typical[c]))));
        return out;
    }

    private double[] typicalScores() {
        double[] s = typicalScores;
        if (s == null) {
            s = new double[channels];
            for (int c = 0; c < channels; c++) {
                s[c] = Double.NaN;
                if (kdes[c] != null) {
                    double sum = 0;
                    double[][] looks = kdes[c].points();
                    for (int p = 0; p < looks.length; p++) {
                        sum += -kdes[c].logDensityGiven(looks[p], null,
                                kdes[c].scenes() == null ? null : kdes[c].scenes()[p]);
                    }
                    s[c] = sum / kdes[c].points().length;
                }
            }
            typicalScores = s;
        }
        return s;
    }

    private double[] scoresOf(Example e) {
        double[] s = logScores.get(e.id());
        return s != null ? s : rarestScores(kdes, looksOf(e, config, channels, perInstanceClasses()), sceneOf(e));
    }

    /**
     * The example's scene colour (the mean RGB of its classes not scored per instance) where looks are scored given it,
     * else null.
     */
    public double[] sceneOf(Example e) {
        return config.givenScene() ? ClassColours.sceneMean(e.layout(), e.photo(), perInstanceClasses()) : null;
    }

    private static <T> T known(Map<String, T> m, String id) {
        T v = m.get(id);
        if (v == null) {
            throw new IllegalArgumentException("example '" + id + "' is not in the fitted statistics");
        }
        return v;
    }

    public String toJson() {
        List<ClassKde> list = new ArrayList<>(Arrays.asList(kdes));
        try {
            return JSON.writeValueAsString(new State(channels, config, list, logScores, present, instanceClasses));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RarityStatistics fromJson(String json) {
        try {
            State s = JSON.readValue(json, State.class);
            if (s.kdes().size() != s.channels()) {
                throw new IllegalArgumentException("rarity statistics JSON: " + s.kdes().size() + " KDE slots for "
                        + s.channels() + " channels");
            }
            return new RarityStatistics(s.channels(), s.config(), s.kdes().toArray(new ClassKde[0]),
                    new LinkedHashMap<>(s.logScores()), new LinkedHashMap<>(s.present()), s.instanceClasses());
        } catch (IOException e) {
            throw new IllegalArgumentException("rarity statistics JSON cannot be read: " + e.getMessage(), e);
        }
    }

    private static double det3(double[] m) {
        return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
                + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }

    private static double[] inverse3(double[] m, double det) {
        double[] r = new double[9];
        r[0] = (m[4] * m[8] - m[5] * m[7]) / det;
        r[1] = (m[2] * m[7] - m[1] * m[8]) / det;
        r[2] = (m[1] * m[5] - m[2] * m[4]) / det;
        r[3] = (m[5] * m[6] - m[3] * m[8]) / det;
        r[4] = (m[0] * m[8] - m[2] * m[6]) / det;
        r[5] = (m[2] * m[3] - m[0] * m[5]) / det;
        r[6] = (m[3] * m[7] - m[4] * m[6]) / det;
        r[7] = (m[1] * m[6] - m[0] * m[7]) / det;
        r[8] = (m[0] * m[4] - m[1] * m[3]) / det;
        return r;
    }
}
