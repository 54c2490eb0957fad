package io.cimle.core.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.ModelConfig.CodeForm;
import io.cimle.core.model.NoiseMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The settings of a training run: the IMLE loop's (Algorithm 1, its schedule, selection, the loss) and the
 * code form a new model takes. Each setting is declared once, in the table below ({@link Setting}: name,
 * the paper's symbol, type, the reference's value, range, help); everything that reads or writes settings
 * (the CLI's options, the trainer's {@code cimle.trainer.imle.*} keys, the demo's trainer arguments, help
 * footers, the checkpoint's JSON) goes through {@link #SETTINGS}. Adding one is its line here and its use; a
 * switch of the code's form is declared with the form ({@link CodeForm#SETTINGS}) and ends this table.
 *
 * <p>{@link #REFERENCE} is the reference code's configuration (the paper's, for reproducing it); {@link #DEFAULT}
 * is the best measured one, where users start (docs/measured.md). Immutable; invariants across settings are
 * checked at construction.
 */
public final class ImleConfig {
    // --- the table: one line per setting ---------------------------------------------------------------------

    public static final Setting<Integer> EXAMPLES = Setting.integer("examples", "|S|", 400, 1,
            "Examples whose nearest sample is selected each epoch.", "examplesPerEpoch");
    public static final Setting<Integer> CANDIDATES = Setting.integer("candidates", "m", 10, 1,
            "Codes drawn per example to select from.", "samplesPerExample", "samples");
    public static final Setting<Integer> STEPS = Setting.integer("steps", "K", 10_000, 1,
            "Gradient steps per epoch on the selected pairs.", "stepsPerEpoch");
    public static final Setting<Integer> SUB_BATCH = Setting.integer("sub-batch", "|S~|", 1, 1,
            "Examples per gradient step.");
    public static final Setting<Double> LEARNING_RATE = Setting.real("learning-rate", 1e-4, 1e-12, null, false,
            "Adam's learning rate (the reference code's; the paper's text says 1e-5).", "lr");
    public static final Setting<Integer> EPOCHS = Setting.integer("epochs", "", 16, 0,
            "Epochs in all (0 = until stopped).");
    public static final Setting<Integer> DECAY_EPOCH = Setting.integer("decay-epoch", "", 5, 0,
            "From this 0-based epoch on lr / 10 (0 = never).");
    public static final Setting<Boolean> DECAY = Setting.flag("decay", true, "Whether the decay happens at all.",
            "decayEnabled");
    public static final Setting<Boolean> DECAY_RESETS_ENCODER = Setting.flag("decay-resets-encoder", true,
            "At the decay also re-draw the noise encoder and reset Adam (the reference code); false: a plain lr / 10.");
    public static final Setting<Integer> SELECTION_BATCH = Setting.integer("selection-batch", "", 40, 1,
            "Candidates per no-grad forward during selection (memory and speed, never which codes are kept).");
    public static final Setting<Long> SEED = Setting.integer64("seed", 42L,
            "Seed of the trainer's random stream (codes, subsets, sub-batches).");
    public static final Setting<Boolean> LOSS_REBALANCING = Setting.flag("loss-rebalancing", true,
            "Weigh the distance per pixel (see loss-weights); false: plain distance.");
    public static final Setting<Boolean> DATASET_REBALANCING = Setting.flag("dataset-rebalancing", true,
            "Draw S by rarity (paper 3.7); false: uniformly.");
    public static final Setting<TrainingMode> MODE = Setting.choice("mode", TrainingMode.IMLE,
            "imle, or regression (the CRN baseline: zero codes, no selection).");
    public static final Setting<Double> BETA1 = Setting.real("beta1", 0.9, 0.0, 1.0, true, "Adam's first-moment decay.");
    public static final Setting<Double> BETA2 = Setting.real("beta2", 0.999, 0.0, 1.0, true,
            "Adam's second-moment decay.");
    public static final Setting<Double> ADAM_EPSILON = Setting.real("adam-epsilon", 1e-8, 1e-30, null, false,
            "Adam's epsilon.");
    public static final Setting<CodeSelection> SELECTION = Setting.choice("selection", CodeSelection.FLAT,
            "flat (Algorithm 1: the nearest whole image), regional (the nearest, then each part of the code, a "
                    + "class or an instance, on its own, so independent appearances are all matched) or staged "
                    + "(regional, each instance's part chosen under the scene's parts already chosen).");
    public static final Setting<Double> REJECT_BELOW = Setting.real("reject-below", 0.0, 0.0, null, false,
            "RS-IMLE: pass over candidates nearer than this distance (0 = off).");
    public static final Setting<Double> RARITY_FLOOR = Setting.real("rarity-floor", 0.0, 0.0, 1.0, true,
            "Rarity weights: no pixel below this share of its image's rarest region (0 = the paper's weights).");
    public static final Setting<LossWeights> LOSS_WEIGHTS = Setting.choice("loss-weights", LossWeights.RARITY,
            "What the per-pixel loss weights are: rarity (the paper's masks), parts (each part of the code, a "
                    + "class or an instance, weighs the same whatever its size) or parts-by-rarity (parts, each "
                    + "instance weighed up by how much rarer its look is than its class's typical look, up to 10x).");
    public static final Setting<Boolean> RARITY_PER_INSTANCE = Setting.flag("rarity-per-instance", false,
            "Rarity per instance: score each connected component by its own mean colour for the dataset sampler and "
                    + "rarity loss weights, and cycle the sampler over classes with several instances too (false: the "
                    + "paper's per-class mean colour, which mixes a photo's instances).");
    public static final Setting<Boolean> RARITY_INSTANCES_ONLY = Setting.flag("rarity-instances-only", false,
            "With rarity-per-instance: the dataset sampler cycles over the classes with several instances alone, so "
                    + "each draw follows a rare instance look (false: the paper's cycle over the frequent classes, "
                    + "those classes joining it).");
    public static final Setting<Boolean> RARITY_GIVEN_SCENE = Setting.flag("rarity-given-scene", false,
            "With rarity-per-instance: an instance's look is as rare as it is among the looks of scenes coloured like "
                    + "its own (a KDE given the mean colour of the scene's other classes), so a common paint under a "
                    + "rare light is not weighed up as a rare paint (false: among all looks of its class).");
    public static final Setting<Boolean> WHOLE_CANDIDATES_DONATE = Setting.flag("whole-candidates-donate", false,
            "Regional selection: the whole candidates lend their parts too, each part as drawn on its own whole image "
                    + "(no extra forward: m + 1 options per part instead of m / 2 + 1); false: only the donors.");
    public static final Setting<Integer> CODE_BANK_EPOCHS = Setting.integer("code-bank-epochs", "", 0, 0,
            "Samples draw the codes the last N epochs matched (a code bank in the checkpoint: real looks at the data's "
                    + "frequencies, not the blends between them); needs region pooling (0 = the Gaussian, the reference).");
    public static final Setting<Double> CODE_BANK_JITTER = Setting.real("code-bank-jitter", 0.0, 0.0, null, false,
            "With a code bank: each part's matched vector moves by this times the sample's own Gaussian.");
    public static final Setting<Integer> BANK_CANDIDATES = Setting.integer("bank-candidates", "", 0, 0,
            "With a code bank and regional selection: this many more candidates per example, each part a vector an "
                    + "earlier epoch matched for its class, kept part by part where nearer (a look once matched is "
                    + "offered again, to every example of it; 0 = Gaussian candidates only, Algorithm 1).");
    public static final Setting<Boolean> KEEP_MATCHES = Setting.flag("keep-matches", false,
            "Regional selection: an example's match of the last time it was chosen stays a candidate, kept where it "
                    + "still comes nearer; not in checkpoints, so a resumed run starts its matches afresh (false: fresh "
                    + "codes every epoch, Algorithm 1).");
    // The code form's switches are declared with the form itself (ModelConfig.CodeForm.SETTINGS) and end the
    // table; these names stay for the code that reads them here.
    public static final Setting<NoiseMode> NOISE = CodeForm.NOISE;
    public static final Setting<Integer> REGION_CODE_DIM = CodeForm.REGION_CODE_DIM;
    public static final Setting<Integer> INSTANCE_SLOTS = CodeForm.INSTANCE_SLOTS;
    public static final Setting<Boolean> REGION_POOLING = CodeForm.REGION_POOLING;
    public static final Setting<Boolean> PIXEL_NORM = CodeForm.PIXEL_NORM;

    /** Every setting, in the order help and JSON list them. */
    public static final List<Setting<?>> SETTINGS = Stream.concat(Stream.of(EXAMPLES, CANDIDATES, STEPS, SUB_BATCH,
            LEARNING_RATE, EPOCHS, DECAY_EPOCH, DECAY, DECAY_RESETS_ENCODER, SELECTION_BATCH, SEED, LOSS_REBALANCING,
            DATASET_REBALANCING, MODE, BETA1, BETA2, ADAM_EPSILON, SELECTION, REJECT_BELOW, RARITY_FLOOR, LOSS_WEIGHTS,
            RARITY_PER_INSTANCE, RARITY_INSTANCES_ONLY, RARITY_GIVEN_SCENE, WHOLE_CANDIDATES_DONATE, CODE_BANK_EPOCHS, CODE_BANK_JITTER, BANK_CANDIDATES,
            KEEP_MATCHES),
            CodeForm.SETTINGS.stream()).<Setting<?>>map(s -> s).toList();

    /** The reference code's configuration: every setting at its declared reference value. */
    public static final ImleConfig REFERENCE = new ImleConfig(referenceValues());

    /**
     * Where users start: the reference's loop and budget with the best measured method (docs/measured.md):
     * regional selection over code parts per instance, the code pooled per region, part-balanced loss weights with
     * each instance weighed up by its look's rarity (given its scene's colour where that tells the look: a light), the
     * sampler rebalanced by instance looks, layer norms per pixel, samples drawn from the codes the last 6 epochs
     * matched (a code bank), which selection also offers (6 bank candidates), so a rare look once matched is offered
     * to every example showing it.
     */
    public static final ImleConfig DEFAULT = REFERENCE.with(SELECTION, CodeSelection.REGIONAL).with(INSTANCE_SLOTS, 4)
            .with(REGION_POOLING, true).with(LOSS_WEIGHTS, LossWeights.PARTS_BY_RARITY).with(RARITY_PER_INSTANCE, true)
            .with(RARITY_GIVEN_SCENE, true).with(PIXEL_NORM, true).with(CODE_BANK_EPOCHS, 6).with(BANK_CANDIDATES, 6);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<Setting<?>, Object> values;

    private ImleConfig(Map<Setting<?>, Object> values) {
        this.values = values;
        int subBatch = get(SUB_BATCH);
        if (subBatch > get(EXAMPLES)) {
            throw new IllegalArgumentException("sub-batch " + subBatch + " exceeds examples " + get(EXAMPLES)
                    + ": a sub-batch is drawn from the epoch's selected examples");
        }
        if (get(SELECTION).regional() && get(CANDIDATES) < 2) {
            throw new IllegalArgumentException("regional selection needs m >= 2 candidates (half flat, half for the "
                    + "regions), got " + get(CANDIDATES));
        }
    }

    private static Map<Setting<?>, Object> referenceValues() {
        Map<Setting<?>, Object> v = new LinkedHashMap<>();
        SETTINGS.forEach(s -> v.put(s, s.reference()));
        return v;
    }

    /** The setting's value. */
    public <T> T get(Setting<T> setting) {
        return setting.type().cast(values.get(setting));
    }

    /** This config with one setting changed (checked against its type and range). */
    public <T> ImleConfig with(Setting<T> setting, T value) {
        if (!values.containsKey(setting)) {
            throw new IllegalArgumentException("unknown setting " + setting.name());
        }
        Map<Setting<?>, Object> v = new LinkedHashMap<>(values);
        v.put(setting, setting.check(value));
        if (setting == EXAMPLES) {
            v.put(SUB_BATCH, Math.min(get(SUB_BATCH), (Integer) value)); // |S~| <= |S| always
        }
        return new ImleConfig(v);
    }

    /** The same from text, as users write values (CLI, configuration). */
    public ImleConfig withText(Setting<?> setting, String text) {
        return withUnchecked(setting, setting.parse(text));
    }

    @SuppressWarnings("unchecked")
    private <T> ImleConfig withUnchecked(Setting<T> setting, Object value) {
        return with(setting, (T) value);
    }

    /** The setting of this name (or an earlier name of it), or null. */
    public static Setting<?> byName(String name) {
        for (Setting<?> s : SETTINGS) {
            if (s.name().equals(name) || s.jsonKey().equals(name) || s.aliases().contains(name)) {
                return s;
            }
        }
        return null;
    }

    // --- typed access to what the code reads most ---

    public int examples() {
        return get(EXAMPLES);
    }

    public int candidates() {
        return get(CANDIDATES);
    }

    public int steps() {
        return get(STEPS);
    }

    public int subBatch() {
        return get(SUB_BATCH);
    }

    public double learningRate() {
        return get(LEARNING_RATE);
    }

    /** Epochs in all; {@link Integer#MAX_VALUE} for 0 (until stopped). */
    public int epochs() {
        int e = get(EPOCHS);
        return e == 0 ? Integer.MAX_VALUE : e;
    }

    public int decayEpoch() {
        return get(DECAY_EPOCH);
    }

    public boolean decayEnabled() {
        return get(DECAY);
    }

    public boolean decayResetsEncoder() {
        return get(DECAY_RESETS_ENCODER);
    }

    public int selectionBatch() {
        return get(SELECTION_BATCH);
    }

    public long seed() {
        return get(SEED);
    }

    public boolean lossRebalancing() {
        return get(LOSS_REBALANCING);
    }

    public boolean datasetRebalancing() {
        return get(DATASET_REBALANCING);
    }

    public TrainingMode mode() {
        return get(MODE);
    }

    public double beta1() {
        return get(BETA1);
    }

    public double beta2() {
        return get(BETA2);
    }

    public double adamEpsilon() {
        return get(ADAM_EPSILON);
    }

    public CodeSelection selection() {
        return get(SELECTION);
    }

    public double rejectBelow() {
        return get(REJECT_BELOW);
    }

    public double rarityFloor() {
        return get(RARITY_FLOOR);
    }

    public LossWeights lossWeights() {
        return get(LOSS_WEIGHTS);
    }

    // --- typed changes for what code and tests set most ---

    public ImleConfig withExamples(int v) {
        return with(EXAMPLES, v);
    }

    public ImleConfig withCandidates(int v) {
        return with(CANDIDATES, v);
    }

    public ImleConfig withSteps(int v) {
        return with(STEPS, v);
    }

    public ImleConfig withSubBatch(int v) {
        return with(SUB_BATCH, v);
    }

    public ImleConfig withLearningRate(double v) {
        return with(LEARNING_RATE, v);
    }

    public ImleConfig withEpochs(int v) {
        return with(EPOCHS, v);
    }

    /** The decay from 0-based epoch {@code epoch} on, and whether it happens at all. */
    public ImleConfig withDecay(int epoch, boolean enabled) {
        return with(DECAY_EPOCH, epoch).with(DECAY, enabled);
    }

    public ImleConfig withDecayResetsEncoder(boolean v) {
        return with(DECAY_RESETS_ENCODER, v);
    }

    public ImleConfig withSelectionBatch(int v) {
        return with(SELECTION_BATCH, v);
    }

    public ImleConfig withSeed(long v) {
        return with(SEED, v);
    }

    public ImleConfig withRebalancing(boolean loss, boolean dataset) {
        return with(LOSS_REBALANCING, loss).with(DATASET_REBALANCING, dataset);
    }

    public ImleConfig withMode(TrainingMode v) {
        return with(MODE, v);
    }

    public ImleConfig withSelection(CodeSelection v) {
        return with(SELECTION, v);
    }

    public ImleConfig withRejectBelow(double v) {
        return with(REJECT_BELOW, v);
    }

    public ImleConfig withRarityFloor(double v) {
        return with(RARITY_FLOOR, v);
    }

    // --- what is derived ---

    /** Whether the decay (encoder re-init, Adam reset, lr/10) happens at the start of 0-based epoch {@code e}. */
    public boolean decaysAt(int epoch) {
        return decayEnabled() && decayEpoch() > 0 && epoch == decayEpoch();
    }

    /** Whether the encoder re-init and Adam reset happen at the start of 0-based epoch {@code e}. */
    public boolean resetsEncoderAt(int epoch) {
        return decaysAt(epoch) && decayResetsEncoder();
    }

    /** The learning rate in force during 0-based epoch {@code e}. */
    public double learningRateAt(int epoch) {
        return decayEnabled() && decayEpoch() > 0 && epoch >= decayEpoch() ? learningRate() / 10 : learningRate();
    }

    /**
     * The code form a new model of {@code preset} takes under these settings: every code-form setting
     * ({@link CodeForm#SETTINGS}) as set, region blocks as given or, where none are, {@link
     * CodeSelection#DEFAULT_REGION_CODE_DIM} where regional selection meets a vector code. Its instance classes
     * still come from the data ({@code CodeParts.fitToData}).
     */
    public ModelConfig codeForm(ModelConfig preset) {
        int blocks = get(REGION_CODE_DIM);
        int regionCodeDim = blocks == 0 ? preset.regionCodeDim() : get(NOISE) == NoiseMode.VECTOR ? blocks : 0;
        ModelConfig m = preset.withCode(preset.code().with("instanceClasses", new int[0])
                .withSettings(s -> s == REGION_CODE_DIM ? regionCodeDim : get(s)));
        return blocks > 0 ? m : selection().fit(m);
    }

    /**
     * This config with the reference's method: every setting in which {@link #DEFAULT} differs from
     * {@link #REFERENCE} (selection, code parts, pooling, loss weights) set to the reference's value; the budget
     * (|S|, m, K, epochs, learning rate, ...) stays. What "--base reference" means on a command's budget.
     */
    public ImleConfig withReferenceMethod() {
        ImleConfig c = this;
        for (Setting<?> s : SETTINGS) {
            if (!Objects.equals(DEFAULT.get(s), REFERENCE.get(s))) {
                c = c.withUnchecked(s, REFERENCE.get(s));
            }
        }
        return c;
    }

    /** Every setting whose value differs from {@code base}'s, as users write it: "candidates 12, selection regional". */
    public String describe(ImleConfig base) {
        List<String> out = new ArrayList<>();
        for (Setting<?> s : SETTINGS) {
            if (!Objects.equals(get(s), base.get(s))) {
                out.add((s.symbol().isEmpty() ? s.name() : s.symbol()) + " " + s.format(get(s)));
            }
        }
        return out.isEmpty() ? "as " + (base == REFERENCE ? "the reference" : "the base") : String.join(", ", out);
    }

    /** Every setting as users write it: "|S| 400, m 10, K 10000, ..., region-pooling false". */
    public String describe() {
        List<String> out = new ArrayList<>();
        for (Setting<?> s : SETTINGS) {
            out.add((s.symbol().isEmpty() ? s.name() : s.symbol()) + " " + s.format(get(s)));
        }
        return String.join(", ", out);
    }

    /** Every setting as configuration properties under {@code prefix}: "prefix.candidates" = "10", ... */
    public Map<String, String> asProperties(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting<?> s : SETTINGS) {
            out.put(prefix + s.name(), s.format(get(s)));
        }
        return out;
    }

    /**
     * {@code base} with every setting {@code lookup} holds under its name (or an earlier name), parsed and
     * checked; for configuration sources that are maps of text.
     */
    public static ImleConfig from(ImleConfig base, Function<String, String> lookup) {
        ImleConfig c = base;
        for (Setting<?> s : SETTINGS) {
            String v = lookup.apply(s.name());
            for (Iterator<String> a = s.aliases().iterator(); v == null && a.hasNext(); ) {
                v = lookup.apply(a.next());
            }
            if (v != null) {
                c = c.withText(s, v);
            }
        }
        return c;
    }

    /** The checkpoint's JSON: every setting under its camel-case key. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        for (Setting<?> s : SETTINGS) {
            Object v = get(s);
            if (v instanceof Enum<?> e) {
                node.put(s.jsonKey(), e.name());
            } else {
                node.set(s.jsonKey(), JSON.valueToTree(v));
            }
        }
        return node.toString();
    }

    /**
     * Reads {@link #toJson}, and the JSON of older checkpoints (their keys are the settings' aliases); a setting
     * absent takes its reference value, the one a checkpoint from before the setting existed was trained with.
     */
    public static ImleConfig fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (byName(name) == null) {
                    throw new IllegalArgumentException("unknown setting '" + name + "'");
                }
            }
            return from(REFERENCE, name -> {
                Setting<?> s = byName(name);
                JsonNode v = node.get(s.jsonKey());
                if (v == null) {
                    v = node.get(name);
                }
                return v == null || v.isNull() ? null : v.asText();
            });
        } catch (IOException e) {
            throw new IllegalArgumentException("bad IMLE config JSON: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad IMLE config JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImleConfig c && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ImleConfig[" + describe() + "]";
    }
}
