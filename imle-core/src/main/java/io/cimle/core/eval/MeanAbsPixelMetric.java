package io.cimle.core.eval;

import ai.djl.ndarray.NDArray;

/**
 * Mean absolute pixel difference scaled to [0, 1] (|a - b| / 2 for [-1, 1] images): the fallback
 * diversity metric when no LPIPS weights are supplied. Not comparable to the paper's LPIPS numbers,
 * which is why every result names its metric.
 */
public final class MeanAbsPixelMetric implements ImageMetric {

    @Override
    public String name() {
        return "mean absolute pixel difference in [0,1] (fallback: no LPIPS weights given)";
    }

    @Override
    public NDArray distance(NDArray a, NDArray b) {
        NDArray d = a.sub(b).abs().div(2f); // (N, 3, H, W)
        return d.reshape(d.getShape().get(0), -1).mean(new int[] {1}); // (N,)
    }
}
