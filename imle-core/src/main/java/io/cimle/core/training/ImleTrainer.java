package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.DatasetSampler;
import io.cimle.core.data.Example;
import io.cimle.core.data.RarityStatistics;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.CodeParts;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.GradMode;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.RegionalCodes;
import io.cimle.core.model.LayoutTensors;
import io.cimle.core.training.distance.Distance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Conditional IMLE (Algorithm 1 of the paper, as the reference code runs it): every epoch pick S
 * examples, keep for each the nearest of m samples, then take K Adam steps on random sub-batches
 * of those pairs. REGRESSION mode runs the same loop with zero noise and no selection (the CRN
 * baseline). Everything random comes from one {@link TrainerRandom}, so a run resumed from a
 * {@link #checkpoint()} continues exactly as the uninterrupted run would.
 */
public final class ImleTrainer implements AutoCloseable {
    static final String STATE = "training/state.json";
    static final String MOMENTS = "training/adam-moments.ndlist";
    static final String CONFIG = "training/imle-config.json";
    static final String RARITY = "training/rarity.json";
    private static final long SAMPLER_SALT = 0x5A3C_91E7_0D4B_2F61L;
    private static final System.Logger LOG = System.getLogger(ImleTrainer.class.getName());

    private final GeneratorNetwork network; // the caller's: a trainer never closes it
    private final Distance distance;
    private final Adam adam;
    // What continueWith replaces at an epoch boundary:
    private List<Example> examples;
    private ImleConfig config;
    private RarityStatistics rarity; // null when neither rebalancing switch is on
    private DatasetSampler sampler;  // null unless dataset rebalancing
    private float[][] masks;         // per example, (H*W), or null
    private HealthProbe healthProbe;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private CheckpointPolicy checkpointPolicy = CheckpointPolicy.never();
    private CheckpointSink checkpointSink;
    private final Map<String, String> extraMetadata = new TreeMap<>();
    private double minCodeSpread = ModelHealth.DEFAULT_MIN_CODE_SPREAD;

    private TrainerRandom rng;
    private int epoch;
    private int stepInEpoch;
    private int[] selected = new int[0];
    private long[] selectedSeeds = new long[0];
    private long[] selectedDonors = new long[0]; // regional selection: per example, per class
    private List<LatentCode> selectedCodes = List.of(); // regional selection: the composed codes
    private double learningRate;
    private double selectionMs;
    private double epochLossSum;
    private double firstEpochLoss = Double.NaN; // the health check's reference

    /**
     * Ownership: the caller creates the network and closes it after the trainer; a trainer never does.
     *
     * @param network  the generator to train
     * @param rarity   fitted statistics, or null: fitted from {@code examples} when a rebalancing switch is on
     */
    public ImleTrainer(GeneratorNetwork network, Distance distance, List<Example> examples, RarityStatistics rarity,
                       ImleConfig config) {
        this.network = Objects.requireNonNull(network, "network");
        this.distance = Objects.requireNonNull(distance, "distance");
        useData(examples, rarity, config);
        this.adam = new Adam(network.parameters(), network.manager(), config.beta1(), config.beta2(),
                config.adamEpsilon());
        this.rng = new TrainerRandom(config.seed());
        this.learningRate = config.learningRateAt(0);
    }

    /** Examples, statistics and config, with what is derived from them (sampler, masks; the probe once). */
    private void useData(List<Example> newExamples, RarityStatistics fitted, ImleConfig newConfig) {
        List<Example> copy = List.copyOf(newExamples);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        checkExamples(copy);
        ImleConfig c = Objects.requireNonNull(newConfig, "config");
        if (c.selection() == CodeSelection.REGIONAL && c.mode() == TrainingMode.IMLE
                && !RegionalCodes.supported(network.config())) {
            throw new IllegalArgumentException("regional selection needs a code with a part per class; this model's "
                    + "vector code has none (give it region blocks: regionCodeDim > 0, e.g. --region-code-dim 8)");
        }
        boolean rebalance = c.lossRebalancing() || c.datasetRebalancing();
        RarityStatistics r = !rebalance ? null
                : fitted != null ? fitted : RarityStatistics.fit(copy, RarityStatistics.Config.DEFAULT);
        this.examples = copy;
        this.config = c;
        this.rarity = r;
        this.sampler = c.datasetRebalancing() ? DatasetSampler.rebalanced(r, c.seed() ^ SAMPLER_SALT) : null;
        this.masks = !c.lossRebalancing() ? null : copy.stream().map(e -> c.lossWeights() == LossWeights.PARTS
                ? partWeights(e.layout()) : r.lossMask(e, c.rarityFloor())).toArray(float[][]::new);
        if (healthProbe == null) {
            // Fixed for the trainer's life, so its code spread is comparable from epoch to epoch.
            healthProbe = new HealthProbe(copy.stream().map(Example::layout).toList(), network, c.seed());
        }
    }

    /**
     * Continues with new examples (pairs that arrived since) and a config that may differ in the data
     * set's share (|S|, |S~|), from the next epoch on; the rarity statistics are refitted on them. Only at
     * an epoch boundary, so an epoch's selection always refers to the examples it was made on. The run
     * goes on exactly as a resume of this trainer's checkpoint on the new examples with refitted statistics.
     */
    public void continueWith(List<Example> newExamples, ImleConfig newConfig) {
        if (hasSelection() || stepInEpoch != 0) {
            throw new IllegalStateException("new examples join at an epoch boundary; epoch " + epoch + " is at step "
                    + stepInEpoch);
        }
        if (newConfig.mode() != config.mode() || newConfig.seed() != config.seed()) {
            throw new IllegalArgumentException("a running trainer keeps its mode and seed (" + config.mode() + ", "
                    + config.seed() + "), got " + newConfig.mode() + ", " + newConfig.seed());
        }
        long drawn = sampler == null ? 0 : sampler.drawn();
        useData(newExamples, null, newConfig);
        replaySampler(drawn);
    }

    /** A trainer that continues the run a checkpoint of {@link #checkpoint()} describes, its statistics restored. */
    public static ImleTrainer resume(Checkpoint checkpoint, GeneratorNetwork network, Distance distance,
                                     List<Example> examples, ImleConfig configOrNull) {
        return resume(checkpoint, network, distance, examples, configOrNull, false);
    }

    /**
     * A trainer that continues the run a checkpoint of {@link #checkpoint()} describes, on the caller's
     * {@code network} (any network of the checkpoint's architecture: its parameters are loaded here).
     *
     * @param configOrNull the config to continue with, or null for the checkpoint's own
     * @param refitRarity  fit the rarity statistics on {@code examples} instead of restoring the checkpoint's
     *                     (the data set grew since)
     */
    public static ImleTrainer resume(Checkpoint checkpoint, GeneratorNetwork network, Distance distance,
                                     List<Example> examples, ImleConfig configOrNull, boolean refitRarity) {
        byte[] stateJson = checkpoint.extras().get(STATE);
        byte[] moments = checkpoint.extras().get(MOMENTS);
        if (stateJson == null || moments == null) {
            throw new IllegalArgumentException("checkpoint (epoch " + checkpoint.epoch() + ", step "
                    + checkpoint.step() + ") has no training state: it was not written by ImleTrainer");
        }
        ImleConfig config = configOrNull != null ? configOrNull
                : ImleConfig.fromJson(new String(checkpoint.extras().get(CONFIG), StandardCharsets.UTF_8));
        byte[] rarityJson = refitRarity ? null : checkpoint.extras().get(RARITY);
        RarityStatistics rarity = rarityJson == null ? null
                : RarityStatistics.fromJson(new String(rarityJson, StandardCharsets.UTF_8));
        network.loadParameters(checkpoint);
        ImleTrainer trainer = new ImleTrainer(network, distance, examples, rarity, config);
        try {
            trainer.restore(TrainingState.fromJsonBytes(stateJson), moments);
            return trainer;
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
    }

    /** The IMLE config a checkpoint of this trainer was trained with. */
    public static ImleConfig configOf(Checkpoint checkpoint) {
        byte[] json = checkpoint.extras().get(CONFIG);
        if (json == null) {
            throw new IllegalArgumentException("checkpoint has no IMLE config: it was not written by ImleTrainer");
        }
        return ImleConfig.fromJson(new String(json, StandardCharsets.UTF_8));
    }

    public ImleTrainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /** Entries added to every checkpoint's metadata (e.g. the label set, so a checkpoint decodes layouts). */
    public ImleTrainer withMetadata(Map<String, String> metadata) {
        extraMetadata.putAll(metadata);
        return this;
    }

    /**
     * The code spread below which an IMLE model counts as dead at an epoch's end (see {@link ModelHealth});
     * default {@link ModelHealth#DEFAULT_MIN_CODE_SPREAD}, 0 turns the verdict off (the spread is still measured).
     */
    public ImleTrainer withMinCodeSpread(double spread) {
        if (!(spread >= 0) || spread > 1) {
            throw new IllegalArgumentException("minimum code spread must lie in [0, 1], got " + spread);
        }
        this.minCodeSpread = spread;
        return this;
    }

    public ImleTrainer checkpointTo(CheckpointSink sink, CheckpointPolicy policy) {
        this.checkpointSink = Objects.requireNonNull(sink);
        this.checkpointPolicy = Objects.requireNonNull(policy);
        return this;
    }

    /** Trains to the configured number of epochs. */
    public TrainingProgress train() {
        return trainUntil(p -> false);
    }

    /**
     * Algorithm 1, run until all epochs are done or {@code stop} holds after a step (tested after
     * every step and after every epoch's end). Returns where it stopped.
     */
    public TrainingProgress trainUntil(Predicate<TrainingProgress> stop) {
        // Selection must not record a graph, whichever thread trains (the collector records the steps).
        return GradMode.withoutGradients(() -> runUntil(stop));
    }

    private TrainingProgress runUntil(Predicate<TrainingProgress> stop) {
        while (epoch < config.epochs()) {
            if (!hasSelection()) {
                beginEpoch();
            }
            while (stepInEpoch < config.steps()) {
                // K gradient steps on random sub-batches of S with the kept codes.
                long start = System.nanoTime();
                double loss = gradientStep();
                stepInEpoch++;
                double updateMs = (System.nanoTime() - start) / 1e6;
                long global = progress().globalStep();
                for (TrainingListener l : listeners) {
                    l.onStep(progress(), global, loss, selectionMs, updateMs);
                }
                boolean endOfEpoch = stepInEpoch == config.steps();
                if (endOfEpoch) {
                    finishEpoch();
                }
                if (checkpointSink != null && checkpointPolicy.due(progress(), endOfEpoch)) {
                    writeCheckpoint();
                }
                if (stop.test(progress())) {
                    return progress();
                }
                if (endOfEpoch) {
                    break;
                }
            }
        }
        return progress();
    }

    /** Decay if due, pick S, and (IMLE) keep the nearest of m samples for each. */
    private void beginEpoch() {
        if (config.resetsEncoderAt(epoch)) {
            // Seed the engine from our stream so the re-drawn encoder is the same on resume.
            network.manager().getEngine().setRandomSeed((int) rng.nextLong());
            network.reinitialiseNoiseEncoder();
            adam.reset();
        }
        learningRate = config.learningRateAt(epoch);
        long start = System.nanoTime();
        int[] chosen = pickExamples();
        selected = chosen;
        Selection kept = config.mode() == TrainingMode.IMLE ? selectCodes(chosen)
                : Selection.flat(new long[chosen.length]);
        selectedSeeds = kept.seeds();
        selectedDonors = kept.donors();
        selectedCodes = kept.codes();
        selectionMs = (System.nanoTime() - start) / 1e6;
    }

    private void finishEpoch() {
        double meanLoss = epochLossSum / config.steps();
        if (!(firstEpochLoss > 0)) {
            firstEpochLoss = meanLoss;
        }
        ModelHealth health = new ModelHealth(epoch, healthProbe.codeSpread(network), meanLoss, firstEpochLoss,
                config.mode() == TrainingMode.IMLE ? minCodeSpread : 0);
        if (!health.healthy()) {
            LOG.log(System.Logger.Level.WARNING, "model health: {0}", health.describe());
        }
        int done = epoch;
        epoch++;
        stepInEpoch = 0;
        selected = new int[0];
        selectedSeeds = new long[0];
        selectedDonors = new long[0];
        selectedCodes = List.of();
        epochLossSum = 0;
        for (TrainingListener l : listeners) {
            l.onEpoch(progress(), done, meanLoss);
            l.onHealth(progress(), health);
        }
    }

    /** S example indices: by the rebalancing sampler, else uniformly (without replacement while S <= N). */
    int[] pickExamples() {
        int s = config.examples();
        int[] out = new int[s];
        if (sampler != null) {
            for (int i = 0; i < s; i++) {
                out[i] = sampler.nextIndex();
            }
        } else if (s <= examples.size()) {
            out = rng.sampleWithoutReplacement(examples.size(), s);
        } else {
            for (int i = 0; i < s; i++) {
                out[i] = rng.nextInt(examples.size());
            }
        }
        return out;
    }

    /**
     * For each chosen example: m code seeds from the trainer's stream, samples generated under no-grad
     * in batches of up to selectionBatch candidates (several examples per forward when they fit), the
     * target's features prepared once, and the seed of the nearest sample kept.
     */
    Selection selectCodes(int[] chosen) {
        int m = config.candidates();
        long[] seeds = new long[chosen.length * m];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = rng.nextLong(); // drawn up front: the batch size must not change the stream
        }
        if (config.selection() == CodeSelection.REGIONAL) {
            NearestCodeSelector selector = new NearestCodeSelector(network, distance, config.selectionBatch());
            RegionalSelection.Kept kept = new RegionalSelection(selector, network.config(), config.rejectBelow())
                    .select(targets(chosen), seeds, m, this::finiteDistance);
            return new Selection(kept.bases(), kept.donors(), kept.codes());
        }
        return Selection.flat(keepNearest(chosen, seeds));
    }

    /**
     * An epoch's kept codes: per selected example its seed, and with regional selection its donors
     * (per class) and the codes they compose (empty for a flat selection: the seeds are the codes).
     */
    record Selection(long[] seeds, long[] donors, List<LatentCode> codes) {
        static Selection flat(long[] seeds) {
            return new Selection(seeds, new long[0], List.of());
        }
    }

    /** The seed of the nearest of each example's m candidate seeds (example-major). */
    long[] keepNearest(int[] chosen, long[] seeds) {
        int m = config.candidates();
        float[] distances = new NearestCodeSelector(network, distance, config.selectionBatch())
                .distances(targets(chosen), seeds, m);
        for (float v : distances) {
            finiteDistance(v);
        }
        return NearestCodeSelector.nearest(seeds, distances, m, config.rejectBelow());
    }

    /** A NaN distance would make argmin keep an arbitrary code: silent mode collapse. */
    private float finiteDistance(float v) {
        if (!Float.isFinite(v)) {
            throw new TrainingDivergedException(epoch, progress().globalStep(), v,
                    "A candidate's distance during selection was not finite (libtorch's oneDNN "
                            + "returns NaN from some convolutions on AVX-512 CPUs: run with "
                            + "ONEDNN_MAX_CPU_ISA=AVX2, as ./cimle does).");
        }
        return v;
    }

    private NearestCodeSelector.Targets targets(int[] chosen) {
        return new NearestCodeSelector.Targets() {
            @Override
            public int size() {
                return chosen.length;
            }

            @Override
            public ClassMap layout(int target) {
                return examples.get(chosen[target]).layout();
            }

            @Override
            public RgbImage photo(int target) {
                return examples.get(chosen[target]).photo();
            }

            @Override
            public NDArray mask(NDManager manager, int target) {
                return ImleTrainer.this.mask(manager, new int[] {chosen[target]});
            }
        };
    }

    /** One Adam step on a random sub-batch of S; refuses (throws) on a non-finite loss. */
    private double gradientStep() {
        int[] positions = rng.sampleWithoutReplacement(selected.length, config.subBatch());
        int[] idx = new int[positions.length];
        List<LatentCode> codes = new ArrayList<>(positions.length);
        for (int i = 0; i < positions.length; i++) {
            idx[i] = selected[positions[i]];
            codes.add(selectedCodes.isEmpty() ? code(selectedSeeds[positions[i]]) : selectedCodes.get(positions[i]));
        }
        double loss = forwardBackward(idx, codes);
        Adam.StepResult step = adam.step(learningRate);
        // Both used to appear now and then: a constant freed by the JVM before the backward pass read it
        // (see Scalars). Either now means a real fault, so the run stops on an unchanged state.
        if (step.skipped()) {
            throw new TrainingDivergedException(epoch, progress().globalStep() + 1, step.gradientSquaredNorm(),
                    "The gradient's squared norm was not finite (loss " + loss + "); the weights were left as they "
                            + "were. Try a lower learning rate (now " + learningRate + ").");
        }
        if (!(step.gradientSquaredNorm() > 0)) {
            // A pixel-wise loss always has a gradient: none at all means training would go on without
            // learning and without saying so.
            throw new NoGradientException(epoch, progress().globalStep() + 1, "squared gradient norm " + step.gradientSquaredNorm()
                    + ", loss " + loss + ", " + adam.parametersWithoutGradient() + " of " + adam.parameterCount()
                    + " parameters without a gradient tensor");
        }
        epochLossSum += loss;
        return loss;
    }

    /** Forward and backward of one sub-batch (gradients accumulate on the parameters); the mean loss. */
    private double forwardBackward(int[] idx, List<LatentCode> codes) {
        double loss;
        try (NDManager sub = network.manager().newSubManager()) {
            List<ClassMap> layouts = layoutsOf(idx);
            NDArray layout = LayoutTensors.oneHot(sub, layouts); // (b, C, H, W)
            NDArray target = photo255(sub, idx); // (b, 3, H, W)
            NDArray mask = mask(sub, idx); // (b, 1, H, W) or null
            NDArray noise = config.mode() == TrainingMode.IMLE ? network.noiseFor(codes, sub)
                    : network.zeroNoise(sub, idx.length);
            NDArray parts = network.config().partsAreClasses() ? layout
                    : LayoutTensors.parts(sub, layouts, network.config()); // (b, P, H, W)
            try (GradientCollector collector = sub.getEngine().newGradientCollector()) {
                NDArray generated = ImageTensors.to255(network.forward(layout, noise, parts, true));
                NDArray value = distance.perSample(generated, target, mask).mean();
                loss = value.getFloat();
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException(epoch, progress().globalStep() + 1, loss,
                            "Try a lower learning rate (now " + learningRate + ") or resume from the last checkpoint.");
                }
                collector.backward(value);
            }
        }
        return loss;
    }

    /** The current weights and training state as a checkpoint (resumable with {@link #resume}). */
    public Checkpoint checkpoint() {
        Map<String, byte[]> extras = new LinkedHashMap<>();
        extras.put(STATE, state().toJsonBytes());
        extras.put(MOMENTS, adam.encodeMoments());
        extras.put(CONFIG, config.toJson().getBytes(StandardCharsets.UTF_8));
        if (rarity != null) {
            extras.put(RARITY, rarity.toJson().getBytes(StandardCharsets.UTF_8));
        }
        Map<String, String> metadata = new TreeMap<>(extraMetadata);
        metadata.putAll(Map.of("trainer", "imle", "mode", config.mode().name(),
                "distance", distance.describe(), "learningRate", Double.toString(learningRate)));
        return Checkpoint.of(network, progress().globalStep(), epoch, metadata, extras);
    }

    private void writeCheckpoint() {
        try {
            String where = checkpointSink.write(checkpoint(), progress());
            for (TrainingListener l : listeners) {
                l.onCheckpoint(progress(), where);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write checkpoint at step " + progress().globalStep() + ": "
                    + e.getMessage(), e);
        }
    }

    public TrainingState state() {
        return new TrainingState(epoch, stepInEpoch, selected, selectedSeeds, rng.state(),
                sampler == null ? 0 : sampler.drawn(), adam.stepCount(), learningRate, firstEpochLoss, selectedDonors);
    }

    private void restore(TrainingState s, byte[] moments) {
        for (int i : s.selectedExamples()) {
            if (i < 0 || i >= examples.size()) {
                throw new IllegalArgumentException("checkpoint selects example " + i + " but the data set has "
                        + examples.size() + ": resume with the data set the run started with");
            }
        }
        epoch = s.epoch();
        stepInEpoch = s.stepInEpoch();
        selected = s.selectedExamples();
        selectedSeeds = s.selectedSeeds();
        selectedDonors = s.selectedDonors();
        selectedCodes = selectedDonors.length == 0 ? List.of()
                : RegionalSelection.rebuild(network.config(), layoutsOf(selected), selectedSeeds, selectedDonors);
        rng = new TrainerRandom(s.rngState());
        learningRate = s.learningRate();
        firstEpochLoss = s.firstEpochLoss();
        replaySampler(s.samplerDrawn());
        adam.restore(moments, s.adamSteps());
    }

    /** The counter-based sampler restored by replaying its count. */
    private void replaySampler(long drawn) {
        if (sampler != null) {
            for (long d = sampler.drawn(); d < drawn; d++) {
                sampler.nextIndex();
            }
        }
    }

    public TrainingProgress progress() {
        return new TrainingProgress(epoch, config.epochs(), stepInEpoch, config.steps(), learningRate);
    }

    public GeneratorNetwork network() {
        return network;
    }

    public ImleConfig config() {
        return config;
    }

    private boolean hasSelection() {
        return selected.length > 0;
    }

    private LatentCode code(long seed) {
        return LatentCode.fromSeed(seed, LatentCodes.shapeFor(network.config()));
    }

    private List<ClassMap> layoutsOf(int[] idx) {
        List<ClassMap> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(examples.get(i).layout());
        }
        return out;
    }

    /** (n, 3, H, W) photos in 0..255 space, exactly the 8-bit values. */
    private NDArray photo255(NDManager manager, int[] idx) {
        List<RgbImage> photos = new ArrayList<>(idx.length);
        for (int i : idx) {
            photos.add(examples.get(i).photo());
        }
        return ImageTensors.pixels255(manager, photos);
    }

    /**
     * {@link LossWeights#PARTS}: each code part present weighs the same in the image, a pixel 1 / (its part's
     * pixel count), scaled to a mean of 1 (row-major, H*W).
     */
    private float[] partWeights(ClassMap layout) {
        int[] part = CodeParts.of(network.config(), layout);
        int[] size = CodeParts.histogram(network.config(), part);
        double sum = 0;
        for (int p : part) {
            sum += 1.0 / size[p];
        }
        float[] w = new float[part.length];
        for (int i = 0; i < part.length; i++) {
            w[i] = (float) (part.length / (size[part[i]] * sum));
        }
        return w;
    }

    /** (n, 1, H, W) per-pixel loss weights, or null without loss rebalancing. */
    private NDArray mask(NDManager manager, int[] idx) {
        if (masks == null) {
            return null;
        }
        Example first = examples.get(idx[0]);
        int plane = first.photo().width() * first.photo().height();
        float[] data = new float[idx.length * plane];
        for (int n = 0; n < idx.length; n++) {
            System.arraycopy(masks[idx[n]], 0, data, n * plane, plane);
        }
        return manager.create(data, new Shape(idx.length, 1, first.photo().height(), first.photo().width()));
    }

    private void checkExamples(List<Example> candidates) {
        int h = network.config().height();
        int w = network.config().width();
        int c = network.config().channels();
        for (int i = 0; i < candidates.size(); i++) {
            ClassMap l = candidates.get(i).layout();
            if (l.width() != w || l.height() != h || l.channels() != c) {
                throw new IllegalArgumentException("training example " + i + " ('" + candidates.get(i).id()
                        + "') is " + l.width() + "x" + l.height() + " with " + l.channels()
                        + " layout channels, but the model (preset " + network.config().presetName() + ") needs "
                        + w + "x" + h + " with " + c + "; resize the data set to the model's size");
            }
        }
    }

    /** Frees the optimiser's state; the network stays open (its creator closes it). */
    @Override
    public void close() {
        adam.close();
    }
}
