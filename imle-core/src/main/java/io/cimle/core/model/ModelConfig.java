package io.cimle.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Architecture of the CRN generator with its noise input. Everything needed to rebuild the
 * network (and hence saved in every checkpoint).
 *
 * @param presetName      label only (e.g. "tiny", "paper"); not part of the architecture
 * @param height          output height; a power-of-two multiple of {@link #COARSE_HEIGHT}
 * @param width           output width; the coarse grid is {@code 4 x width/2^k} (paper: 4x8 for 2:1)
 * @param channels        layout one-hot channels, void included (Cityscapes: 19 + 1 = 20)
 * @param noiseChannels   channels of the per-pixel noise and of the encoder output. Default 10 (paper)
 * @param noiseMode       default {@link NoiseMode#ENCODER} (paper)
 * @param noiseVectorDim  dimension d of the code in {@link NoiseMode#VECTOR} mode. Default 32
 * @param encoderWidth    hidden width of the noise encoder. Default 100 (paper); small presets use
 *                        multiples of 16 because oneDNN convolutions misbehave otherwise on AVX-512
 * @param moduleChannels  output channels of each refinement module, coarsest first; one entry per
 *                        scale, i.e. {@code log2(height / 4) + 1} entries
 * @param leakySlope      negative slope of the leaky ReLUs. Default 0.2 (paper)
 * @param regionCodeDim   {@link NoiseMode#VECTOR} only: dimensions of the code's block per layout class,
 *                        0 for none. With blocks, the code is {@code noiseVectorDim} global dimensions then
 *                        one block per class, and each pixel's encoder input holds the global part and
 *                        its class's block, so a class's appearance has its own part of the code that
 *                        regional selection can choose on its own. Default 0 (the code of checkpoints
 *                        written before it existed)
 * @param instanceSlots   parts of the code per instance-wise class ({@link CodeParts}): the instances
 *                        (connected components) of such a class take parts 0..slots-1 by rank, rank modulo
 *                        slots. 1 (default): one part per class, every instance alike, as before
 * @param instanceClasses the classes whose instances each get a part of their own, ascending; found in the
 *                        training data ({@code InstanceClasses}). Empty (default): none
 * @param regionPooling   the code reaches every scale pooled over its region's part: a per-pixel code is
 *                        summed over each part's pixels (scaled back to unit variance) before the encoder,
 *                        the encoder's output is averaged over each part, and each module sees it area-resized
 *                        (a coarse cell holds its parts' codes by their share of it). Off (default): the noise
 *                        is point-sampled to each module's size, as before
 * @param pixelNorm       the layer norms normalise each pixel's channels (so one part's code cannot move another
 *                        part's features through the image's statistics) instead of the whole map (C, H, W),
 *                        CRN's layer norm. Off (default): the form of every checkpoint written before it
 */
public record ModelConfig(String presetName, int height, int width, int channels, int noiseChannels,
                          NoiseMode noiseMode, int noiseVectorDim, int encoderWidth, int[] moduleChannels,
                          double leakySlope, int regionCodeDim, int instanceSlots, int[] instanceClasses,
                          boolean regionPooling, boolean pixelNorm) {

    /** Height of the first (coarsest) refinement module, as in CRN. */
    public static final int COARSE_HEIGHT = 4;
    public static final int DEFAULT_NOISE_CHANNELS = 10;
    public static final int DEFAULT_NOISE_VECTOR_DIM = 32;
    public static final int DEFAULT_ENCODER_WIDTH = 100;
    public static final double DEFAULT_LEAKY_SLOPE = 0.2;

    /** Without region code blocks: the form of every checkpoint written before they existed. */
    public ModelConfig(String presetName, int height, int width, int channels, int noiseChannels,
                       NoiseMode noiseMode, int noiseVectorDim, int encoderWidth, int[] moduleChannels,
                       double leakySlope) {
        this(presetName, height, width, channels, noiseChannels, noiseMode, noiseVectorDim, encoderWidth,
                moduleChannels, leakySlope, 0);
    }

    /** One code part per class, point-sampled noise: the form of every checkpoint written before instance parts. */
    public ModelConfig(String presetName, int height, int width, int channels, int noiseChannels,
                       NoiseMode noiseMode, int noiseVectorDim, int encoderWidth, int[] moduleChannels,
                       double leakySlope, int regionCodeDim) {
        this(presetName, height, width, channels, noiseChannels, noiseMode, noiseVectorDim, encoderWidth,
                moduleChannels, leakySlope, regionCodeDim, 1, new int[0], false, false);
    }

    public ModelConfig {
        Objects.requireNonNull(presetName, "presetName");
        Objects.requireNonNull(noiseMode, "noiseMode");
        Objects.requireNonNull(moduleChannels, "moduleChannels");
        moduleChannels = moduleChannels.clone();
        instanceClasses = instanceClasses == null ? new int[0] : instanceClasses.clone();
        if (height < COARSE_HEIGHT || !isPowerOfTwo(height / COARSE_HEIGHT) || height % COARSE_HEIGHT != 0) {
            throw new IllegalArgumentException("height must be " + COARSE_HEIGHT
                    + " times a power of two (4, 8, 16, ...), got " + height);
        }
        int scale = height / COARSE_HEIGHT;
        if (width <= 0 || width % scale != 0) {
            throw new IllegalArgumentException("width " + width + " must be a multiple of height/" + COARSE_HEIGHT
                    + " = " + scale + " so that every module halves both sides (height " + height + ")");
        }
        if (channels < 2) {
            throw new IllegalArgumentException("channels must be >= 2 (at least one class plus void), got " + channels);
        }
        if (noiseChannels < 1) {
            throw new IllegalArgumentException("noiseChannels must be >= 1, got " + noiseChannels);
        }
        if (noiseVectorDim < 1) {
            throw new IllegalArgumentException("noiseVectorDim must be >= 1, got " + noiseVectorDim);
        }
        if (encoderWidth < 1) {
            throw new IllegalArgumentException("encoderWidth must be >= 1, got " + encoderWidth);
        }
        int expectedModules = Integer.numberOfTrailingZeros(scale) + 1;
        if (moduleChannels.length != expectedModules) {
            throw new IllegalArgumentException("moduleChannels needs " + expectedModules + " entries (one per scale "
                    + COARSE_HEIGHT + ".." + height + " high), got " + moduleChannels.length);
        }
        for (int i = 0; i < moduleChannels.length; i++) {
            if (moduleChannels[i] < 1) {
                throw new IllegalArgumentException("moduleChannels[" + i + "] must be >= 1, got " + moduleChannels[i]);
            }
        }
        if (regionCodeDim < 0) {
            throw new IllegalArgumentException("regionCodeDim must be >= 0, got " + regionCodeDim);
        }
        if (regionCodeDim > 0 && noiseMode != NoiseMode.VECTOR) {
            throw new IllegalArgumentException("region code blocks (regionCodeDim " + regionCodeDim + ") belong to "
                    + "vector codes; a per-pixel code (noise mode " + noiseMode + ") is regional already");
        }
        if (instanceSlots < 1) {
            throw new IllegalArgumentException("instanceSlots must be >= 1, got " + instanceSlots);
        }
        for (int i = 0; i < instanceClasses.length; i++) {
            if (instanceClasses[i] < 0 || instanceClasses[i] >= channels
                    || (i > 0 && instanceClasses[i] <= instanceClasses[i - 1])) {
                throw new IllegalArgumentException("instanceClasses must be ascending class ids in [0, " + channels
                        + "), got " + Arrays.toString(instanceClasses));
            }
        }
        if (!(leakySlope >= 0 && leakySlope < 1)) {
            throw new IllegalArgumentException("leakySlope must be in [0, 1), got " + leakySlope);
        }
    }

    /** JSON entry point: missing optional fields take their documented defaults. */
    @JsonCreator
    static ModelConfig fromJson(@JsonProperty("presetName") String presetName,
                                @JsonProperty("height") int height,
                                @JsonProperty("width") int width,
                                @JsonProperty("channels") int channels,
                                @JsonProperty("noiseChannels") Integer noiseChannels,
                                @JsonProperty("noiseMode") NoiseMode noiseMode,
                                @JsonProperty("noiseVectorDim") Integer noiseVectorDim,
                                @JsonProperty("encoderWidth") Integer encoderWidth,
                                @JsonProperty("moduleChannels") int[] moduleChannels,
                                @JsonProperty("leakySlope") Double leakySlope,
                                @JsonProperty("regionCodeDim") Integer regionCodeDim,
                                @JsonProperty("instanceSlots") Integer instanceSlots,
                                @JsonProperty("instanceClasses") int[] instanceClasses,
                                @JsonProperty("regionPooling") Boolean regionPooling,
                                @JsonProperty("pixelNorm") Boolean pixelNorm) {
        return new ModelConfig(presetName == null ? "custom" : presetName, height, width, channels,
                noiseChannels == null ? DEFAULT_NOISE_CHANNELS : noiseChannels,
                noiseMode == null ? NoiseMode.ENCODER : noiseMode,
                noiseVectorDim == null ? DEFAULT_NOISE_VECTOR_DIM : noiseVectorDim,
                encoderWidth == null ? DEFAULT_ENCODER_WIDTH : encoderWidth,
                moduleChannels, leakySlope == null ? DEFAULT_LEAKY_SLOPE : leakySlope,
                regionCodeDim == null ? 0 : regionCodeDim, instanceSlots == null ? 1 : instanceSlots,
                instanceClasses == null ? new int[0] : instanceClasses, regionPooling != null && regionPooling,
                pixelNorm != null && pixelNorm);
    }

    @Override
    public int[] instanceClasses() {
        return instanceClasses.clone();
    }

    @Override
    public int[] moduleChannels() {
        return moduleChannels.clone();
    }

    public int moduleCount() {
        return moduleChannels.length;
    }

    /** Channels of module {@code i}'s output. */
    public int moduleChannels(int i) {
        return moduleChannels[i];
    }

    /** Height of module {@code i} (coarsest = 0). */
    public int moduleHeight(int i) {
        return COARSE_HEIGHT << i;
    }

    /** Width of module {@code i} (coarsest = 0). */
    public int moduleWidth(int i) {
        return width >> (moduleChannels.length - 1 - i);
    }

    /**
     * Code channels the encoder sees at each pixel (besides the layout): noiseChannels per pixel, or for
     * VECTOR the global part plus one class block.
     */
    public int noiseInputChannels() {
        return noiseMode == NoiseMode.VECTOR ? noiseVectorDim + regionCodeDim : noiseChannels;
    }

    /** Length of a VECTOR code: the global part and one block per code part ({@link CodeParts#count}). */
    public int codeVectorLength() {
        return noiseVectorDim + regionCodeDim * CodeParts.count(this);
    }

    /** Whether a class's part of the code can be chosen on its own (per-pixel codes, or vector codes with blocks). */
    public boolean hasRegionalCode() {
        return noiseMode != NoiseMode.VECTOR || regionCodeDim > 0;
    }

    /** Whether the network has a noise encoder (every mode but RAW). */
    public boolean hasEncoder() {
        return noiseMode != NoiseMode.RAW;
    }

    public ModelConfig withNoiseMode(NoiseMode mode) {
        return new ModelConfig(presetName, height, width, channels, noiseChannels, mode, noiseVectorDim,
                encoderWidth, moduleChannels, leakySlope, regionCodeDim, instanceSlots, instanceClasses, regionPooling, pixelNorm);
    }

    public ModelConfig withRegionCodeDim(int d) {
        return new ModelConfig(presetName, height, width, channels, noiseChannels, noiseMode, noiseVectorDim,
                encoderWidth, moduleChannels, leakySlope, d, instanceSlots, instanceClasses, regionPooling, pixelNorm);
    }

    public ModelConfig withNoiseVectorDim(int d) {
        return new ModelConfig(presetName, height, width, channels, noiseChannels, noiseMode, d,
                encoderWidth, moduleChannels, leakySlope, regionCodeDim, instanceSlots, instanceClasses, regionPooling, pixelNorm);
    }

    /** Parts per instance of the given classes (see {@link CodeParts}). */
    public ModelConfig withInstanceParts(int slots, int[] classes) {
        return new ModelConfig(presetName, height, width, channels, noiseChannels, noiseMode, noiseVectorDim,
                encoderWidth, moduleChannels, leakySlope, regionCodeDim, slots, classes, regionPooling, pixelNorm);
    }

    public ModelConfig withRegionPooling(boolean pooling) {
        return new ModelConfig(presetName, height, width, channels, noiseChannels, noiseMode, noiseVectorDim,
                encoderWidth, moduleChannels, leakySlope, regionCodeDim, instanceSlots, instanceClasses, pooling, pixelNorm);
    }

    public ModelConfig withPixelNorm(boolean perPixel) {
        return new ModelConfig(presetName, height, width, channels, noiseChannels, noiseMode, noiseVectorDim,
                encoderWidth, moduleChannels, leakySlope, regionCodeDim, instanceSlots, instanceClasses, regionPooling,
                perPixel);
    }

    /**
     * Whether each class is one part of the code (no instance parts, or a vector code without region blocks,
     * which has no parts to give instances): the parts are the layout's classes.
     */
    public boolean partsAreClasses() {
        return instanceClasses.length == 0 || instanceSlots == 1 || !hasRegionalCode();
    }

    /**
     * Architecture values that differ between this config and {@code other}, as
     * "name: this vs other"; empty when a checkpoint of one loads into the other. The preset name is
     * a label and never differs architecturally.
     */
    public List<String> architectureDifferences(ModelConfig other) {
        List<String> d = new ArrayList<>();
        diff(d, "height", height, other.height);
        diff(d, "width", width, other.width);
        diff(d, "channels", channels, other.channels);
        diff(d, "noiseChannels", noiseChannels, other.noiseChannels);
        diff(d, "noiseMode", noiseMode, other.noiseMode);
        if (noiseMode == NoiseMode.VECTOR || other.noiseMode == NoiseMode.VECTOR) {
            diff(d, "noiseVectorDim", noiseVectorDim, other.noiseVectorDim);
            diff(d, "regionCodeDim", regionCodeDim, other.regionCodeDim);
        }
        diff(d, "instanceSlots", instanceSlots, other.instanceSlots);
        diff(d, "instanceClasses", Arrays.toString(instanceClasses), Arrays.toString(other.instanceClasses));
        diff(d, "regionPooling", regionPooling, other.regionPooling);
        diff(d, "pixelNorm", pixelNorm, other.pixelNorm);
        if (hasEncoder() || other.hasEncoder()) {
            diff(d, "encoderWidth", encoderWidth, other.encoderWidth);
        }
        diff(d, "moduleChannels", Arrays.toString(moduleChannels), Arrays.toString(other.moduleChannels));
        return d;
    }

    private static void diff(List<String> out, String name, Object a, Object b) {
        if (!a.equals(b)) {
            out.add(name + ": " + a + " vs " + b);
        }
    }

    private static boolean isPowerOfTwo(int v) {
        return v > 0 && (v & (v - 1)) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && presetName.equals(c.presetName) && height == c.height
                && width == c.width && channels == c.channels && noiseChannels == c.noiseChannels
                && noiseMode == c.noiseMode && noiseVectorDim == c.noiseVectorDim && encoderWidth == c.encoderWidth
                && Arrays.equals(moduleChannels, c.moduleChannels)
                && Double.compare(leakySlope, c.leakySlope) == 0 && regionCodeDim == c.regionCodeDim
                && instanceSlots == c.instanceSlots && Arrays.equals(instanceClasses, c.instanceClasses)
                && regionPooling == c.regionPooling && pixelNorm == c.pixelNorm;
    }

    @Override
    public int hashCode() {
        return Objects.hash(presetName, height, width, channels, noiseChannels, noiseMode, noiseVectorDim,
                encoderWidth, Arrays.hashCode(moduleChannels), leakySlope, regionCodeDim, instanceSlots,
                Arrays.hashCode(instanceClasses), regionPooling, pixelNorm);
    }

    @Override
    public String toString() {
        return "ModelConfig[" + presetName + " " + height + "x" + width + ", channels=" + channels + ", noise="
                + noiseMode + "/" + noiseChannels + (noiseMode == NoiseMode.VECTOR ? " d=" + noiseVectorDim
                + (regionCodeDim > 0 ? "+" + CodeParts.count(this) + "x" + regionCodeDim : "") : "")
                + (partsAreClasses() ? "" : ", instance parts " + instanceSlots + " for classes "
                + Arrays.toString(instanceClasses)) + (regionPooling ? ", region pooling" : "")
                + (pixelNorm ? ", pixel norm" : "")
                + ", encoderWidth=" + encoderWidth + ", modules=" + Arrays.toString(moduleChannels) + "]";
    }
}
