package io.cimle.core.eval;

/**
 * Mean pairwise distance between samples of the same layout (paper Table 1 protocol).
 *
 * @param metric the metric used (LPIPS or a named fallback); numbers are comparable only within one metric
 * @param layouts number of layouts measured
 * @param pairsPerLayout random pairs per layout
 * @param mean mean over layouts of the mean pair distance
 * @param std standard deviation of all pair distances
 */
public record DiversityResult(String metric, int layouts, int pairsPerLayout, double mean, double std) {}
