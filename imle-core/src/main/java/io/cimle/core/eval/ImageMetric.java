package io.cimle.core.eval;

import ai.djl.ndarray.NDArray;

/** A distance between images for evaluation; images are (N, 3, H, W) in the generator's [-1, 1] space. */
public interface ImageMetric {

    /** Which metric (and which weights), for result records and logs. */
    String name();

    /** (N,) distances between {@code a[i]} and {@code b[i]}. */
    NDArray distance(NDArray a, NDArray b);
}
