package io.cimle.core.model;

/** How to walk between two latent codes. */
public enum InterpolationMethod {
    /** (1 - t) a + t b: passes through low-norm codes that Gaussian sampling almost never draws. */
    LINEAR,
    /** Spherical: keeps the norm typical of Gaussian codes, the usual choice for a "day to night" walk. */
    SLERP
}
