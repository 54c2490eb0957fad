package io.cimle.core.training;

import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.NoiseMode;

/** How IMLE's selection step picks the kept code among an example's candidates. */
public enum CodeSelection {
    /** Algorithm 1 as published: the candidate whose whole image is nearest the photo. */
    FLAT,
    /**
     * The nearest candidate, then each layout class's part of the code chosen on its own among further
     * candidates by the distance over that class's pixels, the composed code kept when it is nearer.
     * Independent per-region appearances (weather, season, car colour) are then matched together
     * instead of one flat draw having to hold them all. Needs a code with a part per class.
     */
    REGIONAL;

    /** Region blocks a vector code gets for regional selection when none are configured. */
    public static final int DEFAULT_REGION_CODE_DIM = ModelConfig.CodeForm.DEFAULT_REGION_CODE_DIM;

    /**
     * The model this selection can train: regional selection gives a vector code without region blocks
     * {@link #DEFAULT_REGION_CODE_DIM} of them; everything else is returned as it is.
     */
    public ModelConfig fit(ModelConfig model) {
        if (this == REGIONAL && model.noiseMode() == NoiseMode.VECTOR && model.regionCodeDim() == 0) {
            return model.withRegionCodeDim(DEFAULT_REGION_CODE_DIM);
        }
        return model;
    }
}
