package io.cimle.core.model;

import java.util.Locale;

/** How the latent code reaches the refinement modules. */
public enum NoiseMode {
    /** The reference code's method: per-pixel Gaussian noise, concatenated with the layout, through the noise encoder. */
    ENCODER,
    /** Ablation ("no noise encoder"): the per-pixel Gaussian noise goes straight to every module. */
    RAW,
    /**
     * The paper's text: a low-dimensional Gaussian vector, tiled over the image, then through the noise
     * encoder. One global code steers global appearance (time of day) far more directly than per-pixel noise.
     */
    VECTOR;

    /** The lower-case name users write in options and config. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
