package io.cimle.core.model;

/** How the latent code reaches the refinement modules. */
public enum NoiseMode {
    /** The paper's method: per-pixel Gaussian noise, concatenated with the layout, through the noise encoder. */
    ENCODER,
    /** Ablation ("no noise encoder"): the per-pixel Gaussian noise goes straight to every module. */
    RAW,
    /** A low-dimensional Gaussian vector, tiled over the image, then through the noise encoder. */
    VECTOR
}
