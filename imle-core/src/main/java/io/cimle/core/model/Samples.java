package io.cimle.core.model;

import io.cimle.core.data.RgbImage;
import java.util.List;

/** Generated images with the code that produced each (same order). */
public record Samples(List<RgbImage> images, List<LatentCode> codes) {
    public Samples {
        images = List.copyOf(images);
        codes = List.copyOf(codes);
        if (images.size() != codes.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + codes.size() + " codes");
        }
    }

    public int size() {
        return images.size();
    }
}
