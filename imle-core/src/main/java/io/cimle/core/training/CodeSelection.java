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
    REGIONAL,
    /**
     * Regional, in two stages: the parts of the classes without instances (sky, road, vegetation: what sets the
     * scene's look, its light) first, as {@link #REGIONAL} does; then each instance's part chosen among donors
     * lent onto that scene, so an instance's look is judged under the light it will be drawn with. Costs one
     * more forward per donor and one per example.
     */
    STAGED;

    /** Whether the parts of the code are chosen one by one (a code with a part per class needed). */
    public boolean regional() {
        return this != FLAT;
    }

    /** Region blocks a vector code gets for regional selection when none are configured. */
    public static final int DEFAULT_REGION_CODE_DIM = ModelConfig.CodeForm.DEFAULT_REGION_CODE_DIM;

    /**
     * The model this selection can train: regional selection gives a vector code without region blocks
     * {@link #DEFAULT_REGION_CODE_DIM} of them; everything else is returned as it is.
     */
    public ModelConfig fit(ModelConfig model) {
        if (regional() && model.noiseMode() == NoiseMode.VECTOR && model.regionCodeDim() == 0) {
            return model.withRegionCodeDim(DEFAULT_REGION_CODE_DIM);
        }
        return model;
    }
}
