package io.cimle.core.training;

import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.NoiseMode;

/**
 * The paper's comparisons as configurations of the one trainer, under the same budget.
 */
public enum Baseline {
    /** The full method: noise encoder, loss and dataset rebalancing. */
    IMLE,
    /** CRN: zero noise, plain distance loss, same network. */
    REGRESSION,
    /** IMLE with the per-pixel noise fed straight to the modules (NoiseMode.RAW). */
    NO_NOISE_ENCODER,
    /** IMLE without loss or dataset rebalancing. */
    NO_REBALANCING;

    public ImleConfig apply(ImleConfig config) {
        return switch (this) {
            case IMLE, NO_NOISE_ENCODER -> config.withMode(TrainingMode.IMLE);
            case REGRESSION -> config.withMode(TrainingMode.REGRESSION);
            case NO_REBALANCING -> config.withMode(TrainingMode.IMLE).withRebalancing(false, false);
        };
    }

    public ModelConfig apply(ModelConfig model) {
        return this == NO_NOISE_ENCODER ? model.withRegionCodeDim(0).withNoiseMode(NoiseMode.RAW) : model;
    }
}
