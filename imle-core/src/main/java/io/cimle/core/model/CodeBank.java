package io.cimle.core.model;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RarityStatistics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The codes training matched, as the looks a code draws. A model whose code is pooled per part (region pooling) sees
 * one vector per part, so a matched code is a table: one vector per part of its example's layout. IMLE trains the
 * generator at the codes it matched, so there it draws real looks, at the data's frequencies; a Gaussian code falls
 * between them as often as not, and the generator, a smooth function of its code, draws a blend there (issue 37:
 * four cars in ten off every paint, the rarest paints only as blends).
 *
 * <p>{@link #transform} maps a Gaussian code to a matched one, deterministically, so seeds, replies, style reuse and
 * scene editing keep their meaning: the code picks one matched example's scene (every class that is not
 * instance-wise takes that example's vector: the scene-wide look stays one, and the same code on another layout
 * keeps it), and each instance's own pooled Gaussian picks a matched instance of its class (instances independent),
 * each vector moved by {@code jitter} times the part's own Gaussian.
 *
 * <p>Where training found that a class's looks depend on the scene's colour (a light: {@link
 * io.cimle.core.data.RarityStatistics#sceneScale}), the bank knows each matched code's scene colour and that class's
 * bandwidth, and an instance picks among its class's matched vectors weighed by how near their scenes' colours are to
 * the picked scene's (a car matched at night drawn into a night scene): under a changing light an instance's code holds
 * its paint as that light shows it.
 */
public final class CodeBank {
    /**
     * One matched code: per class its scene vector (null where absent), its instances' vectors with classes, and the
     * colour of the scene it was matched on (mean RGB, 0..255; null where unknown).
     */
    public record Matched(float[][] scene, int[] instanceClasses, float[][] instances, float[] sceneColour) {
        public Matched(float[][] scene, int[] instanceClasses, float[][] instances) {
            this(scene, instanceClasses, instances, null);
        }

        /** This table with the colour of the scene it was matched on. */
        public Matched withSceneColour(float[] colour) {
            return new Matched(scene, instanceClasses, instances, colour);
        }
    }

    /** The checkpoint extra a trainer writes its bank to, and samplers read it from. */
    public static final String CHECKPOINT_EXTRA = "code-bank";
    /** Written where no class picks by scene, so such banks keep their bytes; 2 adds scene colours and bandwidths. */
    private static final int FORMAT = 1;
    private static final int FORMAT_WITH_SCENES = 2;

    private final ModelConfig config;
    private final List<Matched> matched;
    /** Per class: every matched vector of its parts (the instance classes' pools). */
    private final List<List<float[]>> byClass;
    /** Per class, aligned with {@link #byClass}: the scene colour of the code each vector was matched in, or null. */
    private final List<List<double[]>> sceneOfVector;
    /** Per class: the inverse bandwidth (3x3 row-major) its instances pick by scene colour at; null: uniformly. */
    private final double[][] sceneBandwidths;
    private final double jitter;

    public CodeBank(ModelConfig config, List<Matched> matched, double jitter) {
        this(config, matched, jitter, null);
    }

    /**
     * @param sceneBandwidths per class, the inverse bandwidth (3x3 row-major) of the scene colours its instances pick
     *                        by (null, or a null entry: uniformly over the class's matched vectors)
     */
    public CodeBank(ModelConfig config, List<Matched> matched, double jitter, double[][] sceneBandwidths) {
        if (!supported(config)) {
            throw new IllegalArgumentException("a code bank needs per-pixel codes pooled per part (region pooling)");
        }
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("a code bank needs at least one matched code");
        }
        if (!(jitter >= 0) || Double.isInfinite(jitter)) {
            throw new IllegalArgumentException("code bank jitter must be finite and >= 0, got " + jitter);
        }
        if (sceneBandwidths != null && sceneBandwidths.length != config.channels()) {
            throw new IllegalArgumentException(sceneBandwidths.length + " scene bandwidths for " + config.channels()
                    + " classes");
        }
        this.config = config;
        this.matched = List.copyOf(matched);
        this.jitter = jitter;
        this.sceneBandwidths = sceneBandwidths == null || Arrays.stream(sceneBandwidths).allMatch(b -> b == null)
                ? null : sceneBandwidths.clone();
        this.byClass = new ArrayList<>();
        this.sceneOfVector = new ArrayList<>();
        for (int c = 0; c < config.channels(); c++) {
            byClass.add(new ArrayList<>());
            sceneOfVector.add(new ArrayList<>());
        }
        for (Matched m : matched) {
            for (int c = 0; c < m.scene().length; c++) {
                if (m.scene()[c] != null) {
                    byClass.get(c).add(m.scene()[c]);
                    sceneOfVector.get(c).add(widened(m.sceneColour()));
                }
            }
            for (int i = 0; i < m.instances().length; i++) {
                byClass.get(m.instanceClasses()[i]).add(m.instances()[i]);
                sceneOfVector.get(m.instanceClasses()[i]).add(widened(m.sceneColour()));
            }
        }
    }

    /** Whether a model's code can be banked: per-pixel codes pooled per part. */
    public static boolean supported(ModelConfig config) {
        return config.regionPooling() && config.noiseMode() != NoiseMode.VECTOR;
    }

    /** The table of {@code code} on {@code layout} (the model's size): what the network sees of it, part by part. */
    public static Matched tableOf(ModelConfig config, ClassMap layout, LatentCode code) {
        int[] partOf = CodeParts.of(config, layout);
        float[][] pooled = pool(config, partOf, code.materialise().valuesView());
        float[][] scene = new float[config.channels()][];
        List<Integer> classes = new ArrayList<>();
        List<float[]> instances = new ArrayList<>();
        for (int part = 0; part < pooled.length; part++) {
            if (pooled[part] == null) {
                continue;
            }
            int c = CodeParts.classOf(config, part);
            if (CodeParts.isInstanceClass(config, c)) {
                classes.add(c);
                instances.add(pooled[part]);
            } else {
                scene[c] = pooled[part];
            }
        }
        return new Matched(scene, classes.stream().mapToInt(Integer::intValue).toArray(),
                instances.toArray(new float[0][]));
    }

    /** Per part (null where the layout lacks it): the sum of the code over the part's pixels over its root count. */
    private static float[][] pool(ModelConfig config, int[] partOf, float[] values) {
        int z = config.noiseChannels();
        int plane = partOf.length;
        int[] count = CodeParts.histogram(config, partOf);
        float[][] out = new float[count.length][];
        for (int p = 0; p < plane; p++) {
            if (out[partOf[p]] == null) {
                out[partOf[p]] = new float[z];
            }
            for (int k = 0; k < z; k++) {
                out[partOf[p]][k] += values[k * plane + p];
            }
        }
        for (int part = 0; part < out.length; part++) {
            if (out[part] != null) {
                float scale = (float) (1 / Math.sqrt(count[part]));
                for (int k = 0; k < z; k++) {
                    out[part][k] *= scale;
                }
            }
        }
        return out;
    }

    /** The matched codes, in the order they were given. */
    public List<Matched> matched() {
        return matched;
    }

    public int size() {
        return matched.size();
    }

    public double jitter() {
        return jitter;
    }

    /** This bank with another jitter. */
    public CodeBank withJitter(double jitter) {
        return new CodeBank(config, matched, jitter, sceneBandwidths);
    }

    /** Whether some class's instances pick their vectors by the scene's colour. */
    public boolean picksByScene() {
        return sceneBandwidths != null;
    }

    /** The matched code {@code code} stands for on {@code layout} (the model's size). */
    public LatentCode transform(ClassMap layout, LatentCode code) {
        if (layout.width() != config.width() || layout.height() != config.height()) {
            throw new IllegalArgumentException("layout " + layout.width() + "x" + layout.height() + " is not the "
                    + config.width() + "x" + config.height() + " the bank's model draws");
        }
        LatentCode gaussian = LatentCodes.resolve(code, config, 0);
        int[] partOf = CodeParts.of(config, layout);
        int[] count = CodeParts.histogram(config, partOf);
        float[][] own = pool(config, partOf, gaussian.valuesView());
        Matched scene = matched.get(Math.floorMod(index(gaussian.hasSeed() ? gaussian.seed()
                : Arrays.hashCode(gaussian.valuesView())), matched.size()));
        int z = config.noiseChannels();
        float[][] vectors = new float[count.length][];
        for (int part = 0; part < count.length; part++) {
            if (own[part] == null) {
                continue;
            }
            int c = CodeParts.classOf(config, part);
            List<float[]> pool = byClass.get(c);
            float[] base = !CodeParts.isInstanceClass(config, c) && scene.scene()[c] != null ? scene.scene()[c]
                    : pool.isEmpty() ? own[part] : pool.get(pick(c, scene.sceneColour(), index(bits(own[part]))));
            vectors[part] = new float[z];
            for (int k = 0; k < z; k++) {
                vectors[part][k] = (float) (base[k] + jitter * own[part][k]);
            }
        }
        return paint(config, partOf, count, vectors);
    }

    /**
     * Which of class {@code c}'s matched vectors {@code key} (non-negative) picks: uniformly, or where the class picks by
     * scene, with chances by a Gaussian kernel on the distance of each vector's scene colour to {@code sceneColour}.
     */
    private int pick(int c, float[] sceneColour, long key) {
        List<float[]> pool = byClass.get(c);
        double[] inv = sceneBandwidths == null ? null : sceneBandwidths[c];
        if (inv == null || sceneColour == null) {
            return (int) Math.floorMod(key, (long) pool.size());
        }
        List<double[]> scenes = sceneOfVector.get(c);
        double[] scene = widened(sceneColour);
        double[] logWeight = new double[pool.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < logWeight.length; j++) {
            double[] s = scenes.get(j);
            logWeight[j] = s == null ? Double.NEGATIVE_INFINITY
                    : -0.5 * RarityStatistics.ClassKde.quadratic(inv, scene, s);
            max = Math.max(max, logWeight[j]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return (int) Math.floorMod(key, (long) pool.size());
        }
        double total = 0;
        for (int j = 0; j < logWeight.length; j++) {
            logWeight[j] = Math.exp(logWeight[j] - max);
            total += logWeight[j];
        }
        double u = (key >>> 11) * 0x1.0p-52 * total; // key's top 52 bits as a point in [0, total)
        for (int j = 0; j < logWeight.length; j++) {
            u -= logWeight[j];
            if (u < 0) {
                return j;
            }
        }
        for (int j = logWeight.length - 1; ; j--) { // rounding left u at the end: the last vector with weight
            if (logWeight[j] > 0) {
                return j;
            }
        }
    }

    /**
     * A code on {@code layout} whose every part is a matched vector of its class, each part's picked on its own by
     * {@code seed} and the part (a class without matched vectors keeps the seed's Gaussian there): a candidate from
     * the looks training already matched, which selection may offer beside the Gaussian's.
     */
    public LatentCode draw(ClassMap layout, long seed) {
        return draw(layout, seed, null);
    }

    /**
     * {@link #draw(ClassMap, long)} for an example whose scene colour is {@code sceneColour} (null: unknown): where a
     * class's instances pick by scene, its parts are vectors matched under scenes coloured like it.
     */
    public LatentCode draw(ClassMap layout, long seed, float[] sceneColour) {
        int[] partOf = CodeParts.of(config, layout);
        int[] count = CodeParts.histogram(config, partOf);
        float[][] own = null;
        float[][] vectors = new float[count.length][];
        for (int part = 0; part < count.length; part++) {
            if (count[part] == 0) {
                continue;
            }
            List<float[]> pool = byClass.get(CodeParts.classOf(config, part));
            if (pool.isEmpty()) {
                own = own != null ? own : pool(config, partOf, LatentCode.fromSeed(seed, LatentCodes.shapeFor(config))
                        .valuesView());
                vectors[part] = own[part];
            } else {
                int c = CodeParts.classOf(config, part);
                long key = index(seed * 31 + part);
                vectors[part] = pool.get(CodeParts.isInstanceClass(config, c) ? pick(c, sceneColour, key)
                        : Math.floorMod(key, pool.size()));
            }
        }
        return paint(config, partOf, count, vectors);
    }

    /**
     * The code whose table on {@code layout} is {@code table} (the inverse of {@link #tableOf}): a matched code as
     * the network saw it, on the layout it was matched on.
     */
    public static LatentCode codeOf(ModelConfig config, ClassMap layout, Matched table) {
        int[] partOf = CodeParts.of(config, layout);
        int[] count = CodeParts.histogram(config, partOf);
        float[][] vectors = new float[count.length][];
        int instance = 0;
        for (int part = 0; part < count.length; part++) {
            if (count[part] == 0) {
                continue;
            }
            int c = CodeParts.classOf(config, part);
            vectors[part] = CodeParts.isInstanceClass(config, c) ? table.instances()[instance++] : table.scene()[c];
            if (vectors[part] == null) {
                throw new IllegalArgumentException("the table has no vector for part " + part + " (class " + c + ")");
            }
        }
        if (instance != table.instances().length) {
            throw new IllegalArgumentException("the table holds " + table.instances().length + " instances, the layout "
                    + instance);
        }
        return paint(config, partOf, count, vectors);
    }

    /** Each part's vector over its pixels, scaled so that pooling (sum over root count) gives it back. */
    private static LatentCode paint(ModelConfig config, int[] partOf, int[] count, float[][] vectors) {
        int z = config.noiseChannels();
        int plane = partOf.length;
        float[] values = new float[z * plane];
        for (int p = 0; p < plane; p++) {
            float scale = (float) Math.sqrt(count[partOf[p]]) / count[partOf[p]];
            for (int k = 0; k < z; k++) {
                values[k * plane + p] = vectors[partOf[p]][k] * scale;
            }
        }
        return LatentCode.ofValues(values, LatentCodes.shapeFor(config));
    }

    private static double[] widened(float[] colour) {
        return colour == null ? null : new double[] {colour[0], colour[1], colour[2]};
    }

    /** A non-negative index drawn from {@code key}'s bits. */
    private static long index(long key) {
        return LatentCodes.mix(key) >>> 1;
    }

    private static long bits(float[] v) {
        long h = 17;
        for (float f : v) {
            h = h * 31 + Float.floatToIntBits(f);
        }
        return h;
    }


    /** The bank as a checkpoint stores it. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(sceneBandwidths == null ? FORMAT : FORMAT_WITH_SCENES);
            out.writeInt(config.channels());
            out.writeInt(config.noiseChannels());
            out.writeDouble(jitter);
            out.writeInt(matched.size());
            for (Matched m : matched) {
                for (float[] v : m.scene()) {
                    out.writeBoolean(v != null);
                    if (v != null) {
                        writeVector(out, v);
                    }
                }
                out.writeInt(m.instances().length);
                for (int i = 0; i < m.instances().length; i++) {
                    out.writeInt(m.instanceClasses()[i]);
                    writeVector(out, m.instances()[i]);
                }
            }
            if (sceneBandwidths != null) {
                for (Matched m : matched) {
                    out.writeBoolean(m.sceneColour() != null);
                    if (m.sceneColour() != null) {
                        writeVector(out, m.sceneColour());
                    }
                }
                for (double[] b : sceneBandwidths) {
                    out.writeBoolean(b != null);
                    if (b != null) {
                        for (double v : b) {
                            out.writeDouble(v);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The bank a checkpoint keeps for its model, or null: one written before banks, or without one. */
    public static CodeBank of(Checkpoint checkpoint) {
        byte[] bytes = checkpoint.extras().get(CHECKPOINT_EXTRA);
        return bytes == null ? null : fromBytes(checkpoint.config(), bytes);
    }

    /** A bank {@link #toBytes} wrote, for {@code config}'s model. */
    public static CodeBank fromBytes(ModelConfig config, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT && format != FORMAT_WITH_SCENES) {
                throw new IllegalArgumentException("code bank format " + format + " is not " + FORMAT + " or "
                        + FORMAT_WITH_SCENES);
            }
            int channels = in.readInt();
            int z = in.readInt();
            if (channels != config.channels() || z != config.noiseChannels()) {
                throw new IllegalArgumentException("code bank of " + channels + " classes x " + z + " noise channels "
                        + "does not fit a model of " + config.channels() + " x " + config.noiseChannels());
            }
            double jitter = in.readDouble();
            int n = in.readInt();
            List<Matched> matched = new ArrayList<>(n);
            for (int e = 0; e < n; e++) {
                float[][] scene = new float[channels][];
                for (int c = 0; c < channels; c++) {
                    scene[c] = in.readBoolean() ? readVector(in, z) : null;
                }
                int k = in.readInt();
                int[] classes = new int[k];
                float[][] instances = new float[k][];
                for (int i = 0; i < k; i++) {
                    classes[i] = in.readInt();
                    if (classes[i] < 0 || classes[i] >= channels) {
                        throw new IllegalArgumentException("code bank instance of class " + classes[i]);
                    }
                    instances[i] = readVector(in, z);
                }
                matched.add(new Matched(scene, classes, instances));
            }
            if (format == FORMAT) {
                return new CodeBank(config, matched, jitter);
            }
            for (int e = 0; e < n; e++) {
                if (in.readBoolean()) {
                    matched.set(e, matched.get(e).withSceneColour(readVector(in, 3)));
                }
            }
            double[][] bandwidths = new double[channels][];
            for (int c = 0; c < channels; c++) {
                if (in.readBoolean()) {
                    bandwidths[c] = new double[9];
                    for (int i = 0; i < 9; i++) {
                        bandwidths[c][i] = in.readDouble();
                    }
                }
            }
            return new CodeBank(config, matched, jitter, bandwidths);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable code bank: " + e.getMessage(), e);
        }
    }

    private static void writeVector(DataOutputStream out, float[] v) throws IOException {
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] readVector(DataInputStream in, int z) throws IOException {
        float[] v = new float[z];
        for (int k = 0; k < z; k++) {
            v[k] = in.readFloat();
        }
        return v;
    }

    @Override
    public String toString() {
        return "CodeBank[" + matched.size() + " matched codes, " + byClass.stream().mapToInt(List::size).sum()
                + " part vectors, jitter " + jitter + (picksByScene() ? ", instances picked by scene colour" : "") + "]";
    }
}
