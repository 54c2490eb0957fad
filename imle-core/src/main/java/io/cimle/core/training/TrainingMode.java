package io.cimle.core.training;

/** What the trainer optimises. */
public enum TrainingMode {
    /** Conditional IMLE: m codes per example, keep the nearest sample, step on it (Algorithm 1). */
    IMLE,
    /**
     * The CRN baseline: the same network fed zero noise, trained with the plain distance L to the
     * photo. With no noise to vary, it can only learn the mean of the modes.
     */
    REGRESSION
}
