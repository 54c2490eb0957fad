package io.cimle.core.training.distance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A target image's feature maps and resized masks, computed once by {@link Distance#prepare} and
 * reused for every candidate. Owns a native sub-manager: close it when the selection for this
 * target is done.
 */
public final class TargetFeatures implements AutoCloseable {
    private final NDManager owner;
    private final List<FeatureTermDistance.Term> terms;
    private final List<NDArray> masks;
    private final long height;
    private final long width;
    private final String distance;

    TargetFeatures(NDManager owner, List<FeatureTermDistance.Term> terms, List<NDArray> masks,
                   long height, long width, String distance) {
        this.owner = owner;
        this.terms = List.copyOf(terms);
        this.masks = masks;
        this.height = height;
        this.width = width;
        this.distance = distance;
    }

    List<FeatureTermDistance.Term> terms() {
        return terms;
    }

    /** Mask per pyramid scale, or null when the target had no mask. */
    List<NDArray> masks() {
        return masks;
    }

    public long height() {
        return height;
    }

    public long width() {
        return width;
    }

    /** Identity of the distance that prepared these features (a guard against mixing them up). */
    String distance() {
        return distance;
    }

    @Override
    public void close() {
        owner.close();
    }
}
