package io.cimle.cli;

import io.cimle.core.model.ModelConfig;
import io.cimle.core.training.CodeSelection;
import io.cimle.core.training.ImleConfig;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The IMLE hyper-parameters, one name per quantity for every command that trains (train, demo, bench
 * toy). An option left out keeps the command's own budget, which its --help footer states: train starts
 * from the reference's {@link ImleConfig#DEFAULT}, demo and bench toy from toy-sized budgets.
 */
public final class ImleOptions {
    @Option(names = "--examples", paramLabel = "S", description = "|S|: examples whose nearest sample is selected each epoch.")
    Integer examples;

    @Option(names = "--candidates", paramLabel = "M", description = "m: codes drawn per example to select from.")
    Integer candidates;

    @Option(names = "--steps", paramLabel = "K", description = "K: gradient steps per epoch.")
    Integer steps;

    @Option(names = "--sub-batch", paramLabel = "N", description = "|S~|: examples per gradient step.")
    Integer subBatch;

    @Option(names = "--epochs", description = "Epochs in all.")
    Integer epochs;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam's learning rate.")
    Double learningRate;

    @Option(names = "--decay-epoch", paramLabel = "E", description = "From this epoch on lr / 10; 0 = never.")
    Integer decayEpoch;

    @Option(names = "--decay-resets-encoder", negatable = true, description = "At the decay also re-draw the noise "
            + "encoder and reset Adam (the reference code); --no-decay-resets-encoder makes it a plain lr / 10.")
    Boolean decayResetsEncoder;

    @Option(names = "--seed", description = "Seed of the trainer's random stream.")
    Long seed;

    @Option(names = "--no-loss-rebalancing", description = "Plain distance, no rarity mask.")
    boolean noLossRebalancing;

    @Option(names = "--no-dataset-rebalancing", description = "Uniform choice of S.")
    boolean noDatasetRebalancing;

    @Option(names = "--selection", paramLabel = "flat|regional", description = "How the kept code is chosen: flat "
            + "(Algorithm 1: the nearest whole image) or regional (the nearest, then each class's part of the code on "
            + "its own, so independent per-region appearances are all matched).")
    String selection;

    @Option(names = "--reject-below", paramLabel = "D", description = "RS-IMLE: pass over candidates nearer than "
            + "this distance (0 = off).")
    Double rejectBelow;

    @Option(names = "--rarity-floor", paramLabel = "F", description = "Loss rebalancing: no pixel weighs less than "
            + "F times its image's rarest region, in [0, 1) (0 = the paper's weights, whose spread is the ratio of "
            + "the classes' colour densities: a class of near-constant colour weighs ~1e-5).")
    Double rarityFloor;

    @Option(names = "--region-code-dim", paramLabel = "N", description = "Vector codes: dimensions of the code's "
            + "block per layout class (0 = none; regional selection with a vector code needs blocks and takes "
            + CodeSelection.DEFAULT_REGION_CODE_DIM + " when this is left out).")
    Integer regionCodeDim;

    @Option(names = "--instance-slots", paramLabel = "N", description = "Code parts per instance of the classes whose "
            + "instances the training photos show in appearances of their own (each car its own colour): the N largest "
            + "connected components of such a class each get a part (1 = one part per class).")
    Integer instanceSlots;

    @Option(names = "--region-pooling", negatable = true, description = "The code reaches every scale pooled over "
            + "each region's pixels (area-resized, not point-sampled), so a small region's code stays its own at the "
            + "coarse modules.")
    Boolean regionPooling;

    /**
     * The model with the code form these options ask for: region blocks as given, or by default when
     * regional selection meets a vector code without them; instance slots and region pooling as given.
     */
    public ModelConfig model(ModelConfig base, ImleConfig config) {
        ModelConfig m = regionCodeDim != null
                ? (regionCodeDim == base.regionCodeDim() ? base : base.withRegionCodeDim(regionCodeDim))
                : config.selection().fit(base);
        if (instanceSlots != null) {
            m = m.withInstanceParts(instanceSlots, new int[0]);
        }
        if (regionPooling != null) {
            m = m.withRegionPooling(regionPooling);
        }
        return m;
    }

    /** {@code base} with every option given here applied. */
    public ImleConfig apply(ImleConfig base) {
        if (decayEpoch != null && decayEpoch < 0) {
            throw new IllegalArgumentException("--decay-epoch must be >= 0, got " + decayEpoch);
        }
        ImleConfig c = base;
        if (subBatch != null) {
            c = c.withSubBatch(subBatch);
        }
        if (examples != null) {
            c = c.withExamplesPerEpoch(examples);
        }
        if (candidates != null) {
            c = c.withSamplesPerExample(candidates);
        }
        if (steps != null) {
            c = c.withStepsPerEpoch(steps);
        }
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (learningRate != null) {
            c = c.withLearningRate(learningRate);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        if (decayEpoch != null) {
            c = c.withDecay(decayEpoch, decayEpoch > 0);
        }
        if (decayResetsEncoder != null) {
            c = c.withDecayResetsEncoder(decayResetsEncoder);
        }
        if (selection != null) {
            c = c.withSelection(CodeSelection.byName(selection));
        }
        if (rejectBelow != null) {
            c = c.withRejectBelow(rejectBelow);
        }
        if (rarityFloor != null) {
            c = c.withRarityFloor(rarityFloor);
        }
        return c.withRebalancing(c.lossRebalancing() && !noLossRebalancing, c.datasetRebalancing() && !noDatasetRebalancing);
    }

    /** The budget as one line of a --help footer. */
    public static String describe(ImleConfig c) {
        return String.format(Locale.ROOT, "|S| %d, m %d, K %d, |S~| %d, %d epochs, lr %s, decay %s, %s selection%s%s",
                c.examplesPerEpoch(), c.samplesPerExample(), c.stepsPerEpoch(), c.subBatch(), c.epochs(),
                c.learningRate(), c.decayEnabled() && c.decayEpoch() > 0 ? "after epoch " + c.decayEpoch()
                        + (c.decayResetsEncoder() ? " (encoder re-drawn, Adam reset)" : " (lr / 10 only)") : "off",
                c.selection().optionName(), c.rejectBelow() > 0 ? ", rejection below " + c.rejectBelow() : "",
                c.rarityFloor() > 0 ? ", rarity floor " + c.rarityFloor() : "");
    }
}
