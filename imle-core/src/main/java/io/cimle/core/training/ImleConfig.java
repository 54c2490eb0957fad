package io.cimle.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Hyper-parameters of the IMLE loop. Defaults are the reference code's (see method.md).
 *
 * @param examplesPerEpoch  |S|, examples whose nearest sample is selected once per epoch. Default 400
 * @param samplesPerExample m, codes drawn per example to select from. Default 10
 * @param stepsPerEpoch     K, gradient steps per epoch on the selected pairs. Default 10000
 * @param subBatch          |S~|, examples per gradient step. Default 1
 * @param learningRate      Adam's initial rate. Default 1e-4 (the code; the paper's text says 1e-5)
 * @param epochs            epochs in all. Default 16
 * @param decayEpoch        after this many epochs: re-initialise the noise encoder, reset Adam and
 *                          divide the rate by 10 (the reference code). Default 5
 * @param decayEnabled      switch for the decay above. Default true
 * @param selectionBatch    candidates per no-grad forward during selection; several examples' m
 *                          candidates are batched together when it allows. Memory, not results,
 *                          depends on it. Default 40
 * @param seed              seeds the trainer's random stream (codes, subsets, sub-batches). Default 42
 * @param lossRebalancing   multiply the distance by the per-pixel rarity mask. Default true
 * @param datasetRebalancing draw S by the rarity-weighted sampler instead of uniformly. Default true
 * @param mode              IMLE or the no-noise REGRESSION baseline. Default IMLE
 * @param beta1             Adam's first-moment decay. Default 0.9
 * @param beta2             Adam's second-moment decay. Default 0.999
 * @param adamEpsilon       Adam's epsilon. Default 1e-8
 * @param decayResetsEncoder whether the decay also re-initialises the noise encoder and resets Adam (the
 *                          reference); false makes it a plain lr/10 that lets a trained model settle. Default true
 * @param selection         how the kept code is chosen among the candidates. Default FLAT (Algorithm 1)
 * @param rejectBelow       RS-IMLE: candidates nearer than this distance are passed over (unless all are),
 *                          so kept samples do not collapse onto the photo. Default 0 (off)
 * @param rarityFloor       loss rebalancing: no pixel's rarity weight below this share of its image's rarest
 *                          region's, in [0, 1). The paper's weights (1 / density, over the image's largest)
 *                          span the ratio of the classes' colour densities, and a class of nearly constant
 *                          colour (a clear sky, a road) falls to 1e-5 and stops being learnt. Default 0 (the
 *                          reference's weights)
 */
public record ImleConfig(int examplesPerEpoch, int samplesPerExample, int stepsPerEpoch, int subBatch,
                         double learningRate, int epochs, int decayEpoch, boolean decayEnabled, int selectionBatch,
                         long seed, boolean lossRebalancing, boolean datasetRebalancing, TrainingMode mode,
                         double beta1, double beta2, double adamEpsilon, boolean decayResetsEncoder,
                         CodeSelection selection, double rejectBelow, double rarityFloor) {

    public static final ImleConfig DEFAULT = new ImleConfig(400, 10, 10_000, 1, 1e-4, 16, 5, true, 40, 42L,
            true, true, TrainingMode.IMLE, 0.9, 0.999, 1e-8, true, CodeSelection.FLAT, 0, 0);

    private static final ObjectMapper JSON = new ObjectMapper();

    public ImleConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(selection, "selection");
        if (!(rejectBelow >= 0) || !Double.isFinite(rejectBelow)) {
            throw new IllegalArgumentException("rejectBelow must be a distance >= 0, got " + rejectBelow);
        }
        if (!(rarityFloor >= 0 && rarityFloor < 1)) {
            throw new IllegalArgumentException("rarityFloor must lie in [0, 1), got " + rarityFloor);
        }
        if (selection == CodeSelection.REGIONAL && samplesPerExample < 2) {
            throw new IllegalArgumentException("regional selection needs m >= 2 candidates (half flat, half for the "
                    + "regions), got " + samplesPerExample);
        }
        positive("examplesPerEpoch", examplesPerEpoch);
        positive("samplesPerExample", samplesPerExample);
        positive("stepsPerEpoch", stepsPerEpoch);
        positive("subBatch", subBatch);
        positive("epochs", epochs);
        positive("selectionBatch", selectionBatch);
        if (subBatch > examplesPerEpoch) {
            throw new IllegalArgumentException("subBatch " + subBatch + " exceeds examplesPerEpoch "
                    + examplesPerEpoch + ": a sub-batch is drawn from the epoch's selected examples");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
        if (decayEpoch < 0) {
            throw new IllegalArgumentException("decayEpoch must be >= 0, got " + decayEpoch);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must lie in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(adamEpsilon > 0)) {
            throw new IllegalArgumentException("adamEpsilon must be > 0, got " + adamEpsilon);
        }
    }

    /** JSON entry point: absent fields take the defaults above. */
    @JsonCreator
    static ImleConfig fromJson(@JsonProperty("examplesPerEpoch") Integer examplesPerEpoch,
                               @JsonProperty("samplesPerExample") Integer samplesPerExample,
                               @JsonProperty("stepsPerEpoch") Integer stepsPerEpoch,
                               @JsonProperty("subBatch") Integer subBatch,
                               @JsonProperty("learningRate") Double learningRate,
                               @JsonProperty("epochs") Integer epochs,
                               @JsonProperty("decayEpoch") Integer decayEpoch,
                               @JsonProperty("decayEnabled") Boolean decayEnabled,
                               @JsonProperty("selectionBatch") Integer selectionBatch,
                               @JsonProperty("seed") Long seed,
                               @JsonProperty("lossRebalancing") Boolean lossRebalancing,
                               @JsonProperty("datasetRebalancing") Boolean datasetRebalancing,
                               @JsonProperty("mode") TrainingMode mode,
                               @JsonProperty("beta1") Double beta1,
                               @JsonProperty("beta2") Double beta2,
                               @JsonProperty("adamEpsilon") Double adamEpsilon,
                               @JsonProperty("decayResetsEncoder") Boolean decayResetsEncoder,
                               @JsonProperty("selection") CodeSelection selection,
                               @JsonProperty("rejectBelow") Double rejectBelow,
                               @JsonProperty("rarityFloor") Double rarityFloor) {
        ImleConfig d = DEFAULT;
        return new ImleConfig(or(examplesPerEpoch, d.examplesPerEpoch), or(samplesPerExample, d.samplesPerExample),
                or(stepsPerEpoch, d.stepsPerEpoch), or(subBatch, d.subBatch), or(learningRate, d.learningRate),
                or(epochs, d.epochs), or(decayEpoch, d.decayEpoch), or(decayEnabled, d.decayEnabled),
                or(selectionBatch, d.selectionBatch), or(seed, d.seed), or(lossRebalancing, d.lossRebalancing),
                or(datasetRebalancing, d.datasetRebalancing), or(mode, d.mode), or(beta1, d.beta1),
                or(beta2, d.beta2), or(adamEpsilon, d.adamEpsilon),
                or(decayResetsEncoder, d.decayResetsEncoder), or(selection, d.selection),
                or(rejectBelow, d.rejectBelow), or(rarityFloor, d.rarityFloor));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ImleConfig fromJson(String json) {
        try {
            return JSON.readValue(json, ImleConfig.class);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("bad IMLE config JSON: " + cause.getMessage(), e);
        }
    }

    /** Whether the decay (encoder re-init, Adam reset, lr/10) happens at the start of 0-based epoch {@code e}. */
    public boolean decaysAt(int epoch) {
        return decayEnabled && decayEpoch > 0 && epoch == decayEpoch;
    }

    /** Whether the encoder re-init and Adam reset happen at the start of 0-based epoch {@code e}. */
    public boolean resetsEncoderAt(int epoch) {
        return decaysAt(epoch) && decayResetsEncoder;
    }

    /** The learning rate in force during 0-based epoch {@code e}. */
    public double learningRateAt(int epoch) {
        return decayEnabled && decayEpoch > 0 && epoch >= decayEpoch ? learningRate / 10 : learningRate;
    }

    public ImleConfig withExamplesPerEpoch(int v) {
        return new ImleConfig(v, samplesPerExample, stepsPerEpoch, Math.min(subBatch, v), learningRate, epochs,
                decayEpoch, decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1,
                beta2, adamEpsilon, decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withSamplesPerExample(int v) {
        return new ImleConfig(examplesPerEpoch, v, stepsPerEpoch, subBatch, learningRate, epochs, decayEpoch,
                decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withStepsPerEpoch(int v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, v, subBatch, learningRate, epochs, decayEpoch,
                decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withSubBatch(int v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, v, learningRate, epochs, decayEpoch,
                decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withLearningRate(double v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, v, epochs, decayEpoch,
                decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withEpochs(int v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, learningRate, v,
                decayEpoch, decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1,
                beta2, adamEpsilon, decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withDecay(int epoch, boolean enabled) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, learningRate, epochs,
                epoch, enabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withDecayResetsEncoder(boolean v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, learningRate, epochs,
                decayEpoch, decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, v, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withSelectionBatch(int v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, learningRate, epochs,
                decayEpoch, decayEnabled, v, seed, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withSeed(long v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, learningRate, epochs,
                decayEpoch, decayEnabled, selectionBatch, v, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withRebalancing(boolean loss, boolean dataset) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, learningRate, epochs,
                decayEpoch, decayEnabled, selectionBatch, seed, loss, dataset, mode, beta1, beta2, adamEpsilon,
                decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withMode(TrainingMode v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, learningRate, epochs,
                decayEpoch, decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, v, beta1, beta2,
                adamEpsilon, decayResetsEncoder, selection, rejectBelow, rarityFloor);
    }

    public ImleConfig withSelection(CodeSelection v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, learningRate, epochs,
                decayEpoch, decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, decayResetsEncoder, v, rejectBelow, rarityFloor);
    }

    public ImleConfig withRejectBelow(double v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, learningRate, epochs,
                decayEpoch, decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, decayResetsEncoder, selection, v, rarityFloor);
    }

    public ImleConfig withRarityFloor(double v) {
        return new ImleConfig(examplesPerEpoch, samplesPerExample, stepsPerEpoch, subBatch, learningRate, epochs,
                decayEpoch, decayEnabled, selectionBatch, seed, lossRebalancing, datasetRebalancing, mode, beta1, beta2,
                adamEpsilon, decayResetsEncoder, selection, rejectBelow, v);
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
