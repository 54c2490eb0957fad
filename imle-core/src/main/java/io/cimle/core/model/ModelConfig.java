package io.cimle.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.training.Setting;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Architecture of the CRN generator with its noise input. Everything needed to rebuild the
 * network (and hence saved in every checkpoint).
 *
 * @param presetName      label only (e.g. "tiny", "paper"); not part of the architecture
 * @param height          output height; a power-of-two multiple of {@link #COARSE_HEIGHT}
 * @param width           output width; the coarse grid is {@code 4 x width/2^k} (paper: 4x8 for 2:1)
 * @param channels        layout one-hot channels, void included (Cityscapes: 19 + 1 = 20)
 * @param noiseChannels   channels of the per-pixel noise and of the encoder output. Default 10 (paper)
 * @param encoderWidth    hidden width of the noise encoder. Default 100 (paper); small presets use
 *                        multiples of 16 because oneDNN convolutions misbehave otherwise on AVX-512
 * @param moduleChannels  output channels of each refinement module, coarsest first; one entry per
 *                        scale, i.e. {@code log2(height / 4) + 1} entries
 * @param leakySlope      negative slope of the leaky ReLUs. Default 0.2 (paper)
 * @param code           how the code reaches the network ({@link CodeForm}): noise mode, code parts, pooling,
 *                        the layer norms' reach
 */
public record ModelConfig(String presetName, int height, int width, int channels, int noiseChannels,
                          int encoderWidth, int[] moduleChannels, double leakySlope, CodeForm code) {

    /** Height of the first (coarsest) refinement module, as in CRN. */
    public static final int COARSE_HEIGHT = 4;
    public static final int DEFAULT_NOISE_CHANNELS = 10;
    public static final int DEFAULT_NOISE_VECTOR_DIM = 32;
    public static final int DEFAULT_ENCODER_WIDTH = 100;
    public static final double DEFAULT_LEAKY_SLOPE = 0.2;

    /**
     * Reads and writes the records by their components alone (this class's own JSON entry points aside), so
     * the checkpoint's JSON follows the components without a second list of them.
     */
    private static final ObjectMapper COMPONENTS = JsonMapper.builder().disable(MapperFeature.USE_ANNOTATIONS)
            .build();

    /**
     * Keys an architecture missing in a checkpoint's JSON takes (the code form's come from {@link CodeForm#EARLIEST}).
     */
    private static final Map<String, Object> ARCHITECTURE_DEFAULTS = Map.of("presetName", "custom",
            "noiseChannels", DEFAULT_NOISE_CHANNELS, "encoderWidth", DEFAULT_ENCODER_WIDTH,
            "leakySlope", DEFAULT_LEAKY_SLOPE);

    /** Code keys checkpoints have always written right after noiseChannels; the others follow the architecture. */
    private static final List<String> CODE_KEYS_FIRST = List.of("noiseMode", "noiseVectorDim");

    /**
     * How the code reaches the network: everything a code-form switch changes, declared once. A checkpoint's JSON
     * holds these keys flat beside the architecture's; a key it lacks takes its value in {@link #EARLIEST}.
     *
     * @param noiseMode       default {@link NoiseMode#ENCODER} (paper)
     * @param noiseVectorDim  dimension d of the code in {@link NoiseMode#VECTOR} mode. Default 32
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
     * @param instanceEdges   the layout reaches the network with one more channel, 1 where a pixel's neighbour
     *                        belongs to another object of its class (pix2pixHD's instance edge map): boundaries
     *                        the class map cannot show, between touching objects. Off (default): the class map only
     * @param pointwiseEncoder the noise encoder's convolutions are 1x1: a pixel's code takes in no neighbour's noise,
     *                        so the code of one of two touching objects does not hold the other's. Off (default):
     *                        3x3, the reference
     * @param codeModulation  every module's layer norms are followed by a scale and shift computed from the code at
     *                        that scale (1x1 convolutions; SPADE's and SEAN's region-wise modulation), so a part's
     *                        code multiplies its features (a car's colour is its paint times the light) rather than
     *                        only entering the first convolution beside the layout. Off (default): the code is input
     *                        only, the reference
     */
    public record CodeForm(NoiseMode noiseMode, int noiseVectorDim, int regionCodeDim, int instanceSlots,
                           int[] instanceClasses, boolean regionPooling, boolean pixelNorm, boolean instanceEdges,
                           boolean pointwiseEncoder, boolean codeModulation) {

        /** Region blocks a vector code gets for regional selection when none are configured. */
        public static final int DEFAULT_REGION_CODE_DIM = 8;

        // --- the code-form switches: the settings table's last lines (ImleConfig.SETTINGS), one component each ---

        public static final Setting<NoiseMode> NOISE = Setting.choice("noise", NoiseMode.ENCODER,
                "How the code reaches the modules of a new model: encoder (per-pixel noise through the noise encoder, "
                        + "the reference), vector (a low-dimensional code tiled, then the encoder) or raw (no encoder).");
        public static final Setting<Integer> REGION_CODE_DIM = Setting.integer("region-code-dim", "", 0, 0,
                "Vector codes: dimensions of the block per code part (0 = " + DEFAULT_REGION_CODE_DIM
                        + " with regional selection, none with flat).");
        public static final Setting<Integer> INSTANCE_SLOTS = Setting.integer("instance-slots", "", 1, 1,
                "Code parts per instance of the classes whose instances the training photos show in appearances of "
                        + "their own (each car its own colour): the N largest connected components each get one (1 = per "
                        + "class).");
        public static final Setting<Boolean> REGION_POOLING = Setting.flag("region-pooling", false,
                "The code reaches every scale pooled over each part's pixels and area-resized, so a small region's "
                        + "code stays its own at the coarse modules (false: point-sampled).");
        public static final Setting<Boolean> PIXEL_NORM = Setting.flag("pixel-norm", false,
                "A new model's layer norms normalise each pixel's channels, so one part's code cannot move another "
                        + "part's features through the image's statistics (false: over the whole map, CRN's layer norm).");
        public static final Setting<Boolean> INSTANCE_EDGES = Setting.flag("instance-edges", false,
                "A new model sees the layout with an edge channel where a pixel's neighbour is another object of its "
                        + "class (pix2pixHD's instance edges: touching cars drawn apart) (false: the class map only).");
        public static final Setting<Boolean> POINTWISE_ENCODER = Setting.flag("pointwise-encoder", false,
                "A new model's noise encoder uses 1x1 convolutions, so one object's code takes in no touching "
                        + "neighbour's noise (false: 3x3, the reference).");
        public static final Setting<Boolean> CODE_MODULATION = Setting.flag("code-modulation", false,
                "A new model's modules scale and shift their normalised features by the code at each scale (region-wise "
                        + "modulation, as SPADE and SEAN), so a part's code multiplies its features (false: the code is "
                        + "an input only, the reference).");

        /**
         * The switches, in the order help and JSON list them. Each sets the component of its JSON key (the noise:
         * noiseMode), and its reference value is the one an earlier checkpoint that lacks the key was written with.
         */
        public static final List<Setting<?>> SETTINGS = List.of(NOISE, REGION_CODE_DIM, INSTANCE_SLOTS, REGION_POOLING,
                PIXEL_NORM, INSTANCE_EDGES, POINTWISE_ENCODER, CODE_MODULATION);

        /**
         * The form of every checkpoint written before the code had a form to choose: each switch at its reference
         * value, the vector size at its default, no instance classes. What a key missing in a checkpoint takes.
         */
        public static final CodeForm EARLIEST = earliest();

        public CodeForm {
            Objects.requireNonNull(noiseMode, "noiseMode");
            instanceClasses = instanceClasses == null ? new int[0] : instanceClasses.clone();
            if (noiseVectorDim < 1) {
                throw new IllegalArgumentException("noiseVectorDim must be >= 1, got " + noiseVectorDim);
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
        }

        @Override
        public int[] instanceClasses() {
            return instanceClasses.clone();
        }

        /** This form with every switch ({@link #SETTINGS}) at the value {@code value} gives it. */
        public CodeForm withSettings(Function<Setting<?>, Object> value) {
            ObjectNode tree = json();
            SETTINGS.forEach(s -> tree.set(component(s), COMPONENTS.valueToTree(value.apply(s))));
            return fromJson(tree);
        }

        /** The component a switch sets: the one of its JSON key (the noise's is noiseMode). */
        static String component(Setting<?> setting) {
            return setting == NOISE ? "noiseMode" : setting.jsonKey();
        }

        private static CodeForm earliest() {
            ObjectNode tree = COMPONENTS.createObjectNode().put("noiseVectorDim", DEFAULT_NOISE_VECTOR_DIM);
            tree.putArray("instanceClasses");
            SETTINGS.forEach(s -> tree.set(component(s), COMPONENTS.valueToTree(s.reference())));
            try {
                return COMPONENTS.treeToValue(tree, CodeForm.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the earliest code form: " + e.getOriginalMessage(), e);
            }
        }

        /** This form with one key (a component's name) changed: the copy that cannot forget another component. */
        public CodeForm with(String key, Object value) {
            ObjectNode tree = json();
            if (!tree.has(key)) {
                throw new IllegalArgumentException("no code form key '" + key + "'; keys: " + keys());
            }
            tree.set(key, COMPONENTS.valueToTree(value));
            return fromJson(tree);
        }

        /** The components by name, in declaration order. */
        ObjectNode json() {
            return COMPONENTS.valueToTree(this);
        }

        /** The component names, in declaration order. */
        static List<String> keys() {
            List<String> keys = new ArrayList<>();
            EARLIEST.json().fieldNames().forEachRemaining(keys::add);
            return keys;
        }

        /** The form the code-form keys of {@code node} give, each key it lacks (or holds null) as {@link #EARLIEST}. */
        static CodeForm fromJson(JsonNode node) {
            ObjectNode tree = EARLIEST.json();
            for (String key : keys()) {
                JsonNode v = node.get(key);
                if (v != null && !v.isNull()) {
                    tree.set(key, v);
                }
            }
            try {
                return COMPONENTS.treeToValue(tree, CodeForm.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("bad code form " + tree + ": " + e.getOriginalMessage(), e);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CodeForm c && json().equals(c.json());
        }

        @Override
        public int hashCode() {
            return json().hashCode();
        }

        @Override
        public String toString() {
            return "CodeForm" + json();
        }
    }

    /** Without region code blocks: the form of every checkpoint written before they existed. */
    public ModelConfig(String presetName, int height, int width, int channels, int noiseChannels,
                       NoiseMode noiseMode, int noiseVectorDim, int encoderWidth, int[] moduleChannels,
                       double leakySlope) {
        this(presetName, height, width, channels, noiseChannels, encoderWidth, moduleChannels, leakySlope,
                CodeForm.EARLIEST.with("noiseMode", noiseMode).with("noiseVectorDim", noiseVectorDim));
    }

    public ModelConfig {
        Objects.requireNonNull(presetName, "presetName");
        Objects.requireNonNull(moduleChannels, "moduleChannels");
        Objects.requireNonNull(code, "code");
        moduleChannels = moduleChannels.clone();
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
        int[] instanceClasses = code.instanceClasses();
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

    /**
     * JSON entry point: the architecture's keys and the code form's, flat; missing optional keys take their
     * documented defaults ({@link #ARCHITECTURE_DEFAULTS}, {@link CodeForm#EARLIEST}), unknown keys are refused.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ModelConfig fromJson(ObjectNode node) {
        List<String> codeKeys = CodeForm.keys();
        ObjectNode architecture = COMPONENTS.createObjectNode();
        for (var fields = node.fields(); fields.hasNext(); ) {
            var e = fields.next();
            if (!codeKeys.contains(e.getKey())) {
                architecture.set(e.getKey(), e.getValue());
            }
        }
        ARCHITECTURE_DEFAULTS.forEach((key, value) -> {
            if (architecture.path(key).isMissingNode() || architecture.path(key).isNull()) {
                architecture.set(key, COMPONENTS.valueToTree(value));
            }
        });
        if (architecture.has("code")) {
            throw new IllegalArgumentException("unknown model config key 'code'");
        }
        architecture.set("code", CodeForm.fromJson(node).json());
        try {
            return COMPONENTS.readerFor(ModelConfig.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(architecture);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad model config: " + e.getMessage(), e);
        }
    }

    /** The checkpoint's JSON: the architecture's keys with the code form's flat among them, in the order of old. */
    @JsonValue
    ObjectNode toJson() {
        ObjectNode nested = COMPONENTS.valueToTree(this);
        ObjectNode code = (ObjectNode) nested.remove("code");
        ObjectNode flat = COMPONENTS.createObjectNode();
        nested.fields().forEachRemaining(e -> {
            flat.set(e.getKey(), e.getValue());
            if (e.getKey().equals("noiseChannels")) {
                CODE_KEYS_FIRST.forEach(k -> flat.set(k, code.get(k)));
            }
        });
        code.fields().forEachRemaining(e -> {
            if (!CODE_KEYS_FIRST.contains(e.getKey())) {
                flat.set(e.getKey(), e.getValue());
            }
        });
        return flat;
    }

    /** This architecture with another code form: the one copy of the architecture's components. */
    public ModelConfig withCode(CodeForm form) {
        return new ModelConfig(presetName, height, width, channels, noiseChannels, encoderWidth, moduleChannels,
                leakySlope, form);
    }

    public NoiseMode noiseMode() {
        return code.noiseMode();
    }

    public int noiseVectorDim() {
        return code.noiseVectorDim();
    }

    public int regionCodeDim() {
        return code.regionCodeDim();
    }

    public int instanceSlots() {
        return code.instanceSlots();
    }

    public boolean regionPooling() {
        return code.regionPooling();
    }

    public boolean pixelNorm() {
        return code.pixelNorm();
    }

    public boolean instanceEdges() {
        return code.instanceEdges();
    }

    public boolean pointwiseEncoder() {
        return code.pointwiseEncoder();
    }

    public boolean codeModulation() {
        return code.codeModulation();
    }

    /** Channels of the layout the network reads: the classes, and the instance edges where the form has them. */
    public int layoutChannels() {
        return channels + (instanceEdges() ? 1 : 0);
    }

    public int[] instanceClasses() {
        return code.instanceClasses();
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
        return noiseMode() == NoiseMode.VECTOR ? noiseVectorDim() + regionCodeDim() : noiseChannels;
    }

    /** Length of a VECTOR code: the global part and one block per code part ({@link CodeParts#count}). */
    public int codeVectorLength() {
        return noiseVectorDim() + regionCodeDim() * CodeParts.count(this);
    }

    /** Whether a class's part of the code can be chosen on its own (per-pixel codes, or vector codes with blocks). */
    public boolean hasRegionalCode() {
        return noiseMode() != NoiseMode.VECTOR || regionCodeDim() > 0;
    }

    /** Whether the network has a noise encoder (every mode but RAW). */
    public boolean hasEncoder() {
        return noiseMode() != NoiseMode.RAW;
    }

    public ModelConfig withNoiseMode(NoiseMode mode) {
        return withCode(code.with("noiseMode", mode));
    }

    public ModelConfig withRegionCodeDim(int d) {
        return withCode(code.with("regionCodeDim", d));
    }

    public ModelConfig withNoiseVectorDim(int d) {
        return withCode(code.with("noiseVectorDim", d));
    }

    /** Parts per instance of the given classes (see {@link CodeParts}). */
    public ModelConfig withInstanceParts(int slots, int[] classes) {
        return withCode(code.with("instanceSlots", slots).with("instanceClasses", classes));
    }

    public ModelConfig withRegionPooling(boolean pooling) {
        return withCode(code.with("regionPooling", pooling));
    }

    public ModelConfig withPixelNorm(boolean perPixel) {
        return withCode(code.with("pixelNorm", perPixel));
    }

    /**
     * Whether each class is one part of the code (no instance parts, or a vector code without region blocks,
     * which has no parts to give instances): the parts are the layout's classes.
     */
    public boolean partsAreClasses() {
        return code.instanceClasses.length == 0 || instanceSlots() == 1 || !hasRegionalCode();
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
        boolean vector = noiseMode() == NoiseMode.VECTOR || other.noiseMode() == NoiseMode.VECTOR;
        ObjectNode mine = code.json();
        ObjectNode theirs = other.code.json();
        for (String key : CodeForm.keys()) {
            if (vector || !VECTOR_ONLY_KEYS.contains(key)) {
                diff(d, key, text(mine.get(key)), text(theirs.get(key)));
            }
        }
        if (hasEncoder() || other.hasEncoder()) {
            diff(d, "encoderWidth", encoderWidth, other.encoderWidth);
        }
        diff(d, "moduleChannels", Arrays.toString(moduleChannels), Arrays.toString(other.moduleChannels));
        return d;
    }

    /** A code form value as the differences name it: arrays as {@link Arrays#toString}, the rest as text. */
    private static String text(JsonNode v) {
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.asText()));
            return "[" + String.join(", ", items) + "]";
        }
        return v.asText();
    }

    private static void diff(List<String> out, String name, Object a, Object b) {
        if (!a.equals(b)) {
            out.add(name + ": " + a + " vs " + b);
        }
    }

    /** Code keys that shape the network only for vector codes. */
    private static final List<String> VECTOR_ONLY_KEYS = List.of("noiseVectorDim", "regionCodeDim");

    private static boolean isPowerOfTwo(int v) {
        return v > 0 && (v & (v - 1)) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && toJson().equals(c.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        NoiseMode noiseMode = noiseMode();
        return "ModelConfig[" + presetName + " " + height + "x" + width + ", channels=" + channels + ", noise="
                + noiseMode + "/" + noiseChannels + (noiseMode == NoiseMode.VECTOR ? " d=" + noiseVectorDim()
                + (regionCodeDim() > 0 ? "+" + CodeParts.count(this) + "x" + regionCodeDim() : "") : "")
                + (partsAreClasses() ? "" : ", instance parts " + instanceSlots() + " for classes "
                + Arrays.toString(instanceClasses())) + (regionPooling() ? ", region pooling" : "")
                + (pixelNorm() ? ", pixel norm" : "") + (instanceEdges() ? ", instance edges" : "")
                + (pointwiseEncoder() ? ", pointwise encoder" : "") + (codeModulation() ? ", code modulation" : "")
                + ", encoderWidth=" + encoderWidth + ", modules=" + Arrays.toString(moduleChannels) + "]";
    }
}
