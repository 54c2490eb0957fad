package io.cimle.core.training;

import io.cimle.core.data.Example;
import io.cimle.core.data.RarityStatistics;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.CodeBank;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.GradMode;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.RegionalCodes;
import io.cimle.core.training.distance.Distance;
import java.util.ArrayList;
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
 *
 * <p>This class runs the epoch loop and owns the run's state; the data and what is derived from it
 * ({@link TrainingData}), the matching ({@link Matching}), the step ({@link GradientStep}) and the
 * checkpoint's entries ({@link TrainerCheckpoint}) are each a class of their own.
 */
public final class ImleTrainer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ImleTrainer.class.getName());

    private final GeneratorNetwork network; // the caller's: a trainer never closes it
    private final Distance distance;
    private final Adam adam;
    private final GradientStep step;
    // What continueWith replaces at an epoch boundary:
    private TrainingData data;
    private ImleConfig config;
    private Matching matching;
    private HealthProbe healthProbe;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private CheckpointPolicy checkpointPolicy = CheckpointPolicy.never();
    private CheckpointSink checkpointSink;
    private final Map<String, String> extraMetadata = new TreeMap<>();
    private double minCodeSpread = ModelHealth.DEFAULT_MIN_CODE_SPREAD;
    private boolean healthCheck = true;

    private TrainerRandom rng;
    private int epoch;
    private int stepInEpoch;
    private int[] selected = new int[0];
    private KeptCodes kept = KeptCodes.NONE;
    private final MatchedCodes matchedCodes = new MatchedCodes();
    private final Map<Integer, long[]> lastMatch = new java.util.HashMap<>();
    private double learningRate;
    private double selectionMs;
    private double epochLossSum;
    private double firstEpochLoss = Double.NaN; // epoch 0's mean loss (kept in checkpoints, judged no more)
    private LossTrend lossTrend = LossTrend.NONE; // the health check's loss history
    private boolean weightsMarked; // Adam holds a copy of the weights from this epoch's start (or the resume)

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
        useData(examples, rarity, config); // first: it checks the data before anything native is made
        this.adam = new Adam(network.parameters(), network.manager(), config.beta1(), config.beta2(),
                config.adamEpsilon());
        this.step = new GradientStep(network, distance, adam, config.mode()); // a trainer keeps its mode
        this.rng = new TrainerRandom(config.seed());
        this.learningRate = config.learningRateAt(0);
    }

    /** Examples, statistics and config, with what is derived from them (the data's weights, the probe once). */
    private void useData(List<Example> newExamples, RarityStatistics fitted, ImleConfig newConfig) {
        ImleConfig c = Objects.requireNonNull(newConfig, "config");
        if (c.selection().regional() && c.mode() == TrainingMode.IMLE
                && !RegionalCodes.supported(network.config())) {
            throw new IllegalArgumentException("regional selection needs a code with a part per class; this model's "
                    + "vector code has none (give it region blocks: regionCodeDim > 0, e.g. --region-code-dim 8)");
        }
        this.data = TrainingData.prepare(newExamples, fitted, c, network.config());
        this.config = c;
        this.matching = new Matching(network, distance, c, data, lastMatch);
        if (healthProbe == null) {
            // Fixed for the trainer's life, so its code spread is comparable from epoch to epoch.
            healthProbe = new HealthProbe(data.layouts(), network, c.seed());
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
        long drawn = data.samplerDrawn();
        if (newExamples.size() != data.size()) {
            // New pairs: losses measured on other data are not compared (harder pairs are not divergence).
            lossTrend = LossTrend.NONE;
        }
        useData(newExamples, null, newConfig);
        data.replaySampler(drawn);
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
        TrainerCheckpoint.Saved saved = TrainerCheckpoint.read(checkpoint, configOrNull, refitRarity);
        network.loadParameters(checkpoint);
        ImleTrainer trainer = new ImleTrainer(network, distance, examples, saved.rarity(), saved.config());
        try {
            trainer.restore(saved.state(), saved.moments());
            CodeBank bank = CodeBank.of(checkpoint);
            if (bank != null) {
                trainer.matchedCodes.restore(bank, saved.state().epoch() - 1);
            }
            byte[] keptTables = checkpoint.extras().get(TrainerCheckpoint.KEPT_CODES);
            if (keptTables != null && trainer.selected.length > 0) {
                trainer.restoreKeptCodes(CodeBank.fromBytes(network.config(), keptTables));
            }
            return trainer;
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
    }

    /** The IMLE config a checkpoint of this trainer was trained with. */
    public static ImleConfig configOf(Checkpoint checkpoint) {
        return TrainerCheckpoint.configOf(checkpoint);
    }

    public ImleTrainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /** Entries added to every checkpoint's metadata (e.g. the label set, so a checkpoint decodes layouts). */
    public ImleTrainer addMetadata(Map<String, String> metadata) {
        extraMetadata.putAll(metadata);
        return this;
    }

    /**
     * The code spread below which an IMLE model counts as dead at an epoch's end (see {@link ModelHealth});
     * default {@link ModelHealth#DEFAULT_MIN_CODE_SPREAD}, 0 turns the verdict off (the spread is still measured).
     */
    public ImleTrainer setMinCodeSpread(double spread) {
        if (!(spread >= 0) || spread > 1) {
            throw new IllegalArgumentException("minimum code spread must lie in [0, 1], got " + spread);
        }
        this.minCodeSpread = spread;
        return this;
    }

    /**
     * Whether the health verdict counts (default true): false makes every {@link ModelHealth} healthy, so
     * {@link TrainingListener#stopWhenUnhealthy()} never stops the run and nothing is logged, while the code spread
     * and the loss are still measured and reported. Off, the trainer also keeps no copy of the weights for
     * {@link ModelHealth#weightMove()} (reported as NaN). Training itself is the same either way: the check only
     * observes.
     */
    public ImleTrainer setHealthCheck(boolean on) {
        this.healthCheck = on;
        if (!on) {
            adam.clearMark();
            weightsMarked = false;
        }
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
            if (healthCheck && !weightsMarked) {
                // After beginEpoch, so a re-drawn encoder is not counted as a move; after a resume within an
                // epoch the move is measured from there.
                adam.markWeights();
                weightsMarked = true;
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
        int[] chosen = data.pick(config.examples(), rng);
        selected = chosen;
        kept = config.mode() == TrainingMode.IMLE ? matching.select(chosen, rng, epoch, progress().globalStep(),
                config.get(ImleConfig.BANK_CANDIDATES) > 0 ? codeBank() : null)
                : KeptCodes.flat(new long[chosen.length]);
        if (banksCodes()) {
            List<LatentCode> codes = new ArrayList<>(chosen.length);
            for (int t = 0; t < chosen.length; t++) {
                codes.add(keptCode(t));
            }
            matchedCodes.record(network.config(), epoch, chosen, data.layoutsOf(chosen), codes,
                    data.sceneColours(chosen));
        }
        selectionMs = (System.nanoTime() - start) / 1e6;
    }

    private void finishEpoch() {
        double meanLoss = epochLossSum / config.steps();
        if (!(firstEpochLoss > 0)) {
            firstEpochLoss = meanLoss;
        }
        lossTrend = lossTrend.after(meanLoss);
        double weightMove = adam.rmsMoveSinceMark() / learningRate; // NaN without a mark (the check is off)
        adam.clearMark();
        weightsMarked = false;
        ModelHealth health = new ModelHealth(epoch, healthProbe.codeSpread(network), meanLoss, lossTrend, weightMove,
                config.mode() == TrainingMode.IMLE ? minCodeSpread : 0, healthCheck);
        if (!health.healthy()) {
            LOG.log(System.Logger.Level.WARNING, "model health: {0}", health.describe());
        }
        int done = epoch;
        epoch++;
        stepInEpoch = 0;
        selected = new int[0];
        kept = KeptCodes.NONE;
        epochLossSum = 0;
        for (TrainingListener l : listeners) {
            l.onEpoch(progress(), done, meanLoss);
            l.onHealth(progress(), health);
        }
    }

    /** One Adam step on a random sub-batch of S with the kept codes. */
    private double gradientStep() {
        int[] positions = rng.sampleWithoutReplacement(selected.length, config.subBatch());
        int[] idx = new int[positions.length];
        List<LatentCode> codes = new ArrayList<>(positions.length);
        for (int i = 0; i < positions.length; i++) {
            idx[i] = selected[positions[i]];
            codes.add(keptCode(positions[i]));
        }
        double loss = step.take(data, idx, codes, learningRate, epoch, progress().globalStep() + 1);
        epochLossSum += loss;
        return loss;
    }

    /** The current weights and training state as a checkpoint (resumable with {@link #resume}). */
    public Checkpoint checkpoint() {
        Map<String, byte[]> extras = TrainerCheckpoint.extras(state(), adam.encodeMoments(), config, data.rarity());
        CodeBank bank = codeBank();
        if (bank != null) {
            extras.put(CodeBank.CHECKPOINT_EXTRA, bank.toBytes());
        }
        if (config.get(ImleConfig.BANK_CANDIDATES) > 0 && selected.length > 0 && !kept.codes().isEmpty()) {
            // Codes partly from the bank are not what their seeds compose: the epoch's kept codes go as tables.
            List<CodeBank.Matched> tables = new ArrayList<>(selected.length);
            for (int t = 0; t < selected.length; t++) {
                tables.add(CodeBank.tableOf(network.config(), data.layout(selected[t]), keptCode(t)));
            }
            extras.put(TrainerCheckpoint.KEPT_CODES, new CodeBank(network.config(), tables, 0).toBytes());
        }
        Map<String, String> metadata = new TreeMap<>(extraMetadata);
        metadata.putAll(Map.of("trainer", "imle", "mode", config.mode().name(),
                "distance", distance.describe(), "learningRate", Double.toString(learningRate)));
        return Checkpoint.of(network, progress().globalStep(), epoch, metadata, extras);
    }

    /** Whether this run keeps a code bank: IMLE, a bank configured, a code pooled per part. */
    private boolean banksCodes() {
        return config.mode() == TrainingMode.IMLE && config.get(ImleConfig.CODE_BANK_EPOCHS) > 0
                && CodeBank.supported(network.config());
    }

    /**
     * The codes the last {@code code-bank-epochs} epochs matched, as samples of this model should draw them; null
     * without a bank (not configured, not a pooled code, or nothing matched yet).
     */
    public CodeBank codeBank() {
        int current = hasSelection() ? epoch : epoch - 1; // between epochs: the one that just ended
        return banksCodes() ? matchedCodes.bank(network.config(), current, config.get(ImleConfig.CODE_BANK_EPOCHS),
                config.get(ImleConfig.CODE_BANK_JITTER), data.sceneBandwidths()) : null;
    }

    /**
     * The code {@code example} (an index into the training examples) was last matched with, as the network saw it on
     * the example's layout; null when it was never matched or this run keeps no bank. What the model fits there is
     * how well training learnt that example's looks.
     */
    public LatentCode matchedCode(int example) {
        CodeBank.Matched table = banksCodes() ? matchedCodes.latest(example) : null;
        return table == null ? null : CodeBank.codeOf(network.config(), data.layout(example), table);
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
        return new TrainingState(epoch, stepInEpoch, selected, kept.seeds(), rng.state(), data.samplerDrawn(),
                adam.stepCount(), learningRate, firstEpochLoss, kept.donors(), lossTrend);
    }

    private void restore(TrainingState s, byte[] moments) {
        for (int i : s.selectedExamples()) {
            if (i < 0 || i >= data.size()) {
                throw new IllegalArgumentException("checkpoint selects example " + i + " but the data set has "
                        + data.size() + ": resume with the data set the run started with");
            }
        }
        epoch = s.epoch();
        stepInEpoch = s.stepInEpoch();
        selected = s.selectedExamples();
        kept = new KeptCodes(s.selectedSeeds(), s.selectedDonors(), s.selectedDonors().length == 0 ? List.of()
                : RegionalSelection.rebuild(network.config(), data.layoutsOf(selected), s.selectedSeeds(),
                        s.selectedDonors()), 0);
        rng = new TrainerRandom(s.rngState());
        learningRate = s.learningRate();
        firstEpochLoss = s.firstEpochLoss();
        lossTrend = s.lossTrend();
        data.replaySampler(s.samplerDrawn());
        adam.restore(moments, s.adamSteps());
    }

    public TrainingProgress progress() {
        return new TrainingProgress(epoch, config.epochs(), stepInEpoch, config.steps(), learningRate);
    }

    /** The rarity statistics the loss weights and the sampler use (null where neither rebalances). */
    public RarityStatistics rarity() {
        return data.rarity();
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

    /** The epoch's kept codes from the tables a checkpoint stored (codes that seeds alone do not describe). */
    private void restoreKeptCodes(CodeBank tables) {
        if (tables.size() != selected.length) {
            throw new IllegalArgumentException("checkpoint keeps " + tables.size() + " codes for " + selected.length
                    + " selected examples");
        }
        List<LatentCode> codes = new ArrayList<>(selected.length);
        for (int t = 0; t < selected.length; t++) {
            codes.add(CodeBank.codeOf(network.config(), data.layout(selected[t]), tables.matched().get(t)));
        }
        kept = new KeptCodes(kept.seeds(), kept.donors(), codes, 0);
    }

    /** The code the selection kept for its t-th example: its composed code, or (flat) its seed's. */
    private LatentCode keptCode(int t) {
        return kept.codes().isEmpty() ? code(kept.seeds()[t]) : kept.codes().get(t);
    }

    private LatentCode code(long seed) {
        return LatentCode.fromSeed(seed, LatentCodes.shapeFor(network.config()));
    }

    /** Frees the optimiser's state; the network stays open (its creator closes it). */
    @Override
    public void close() {
        adam.close();
    }
}
