package io.cimle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cimle.core.data.ClassMap;

import java.util.List;

/** Layouts as one-hot tensors. */
public final class LayoutTensors {
    private LayoutTensors() {
    }

    /** (N, C, H, W) float32 one-hot; all layouts must share size and channel count. */
    public static NDArray oneHot(NDManager manager, List<ClassMap> layouts) {
        if (layouts.isEmpty()) {
            throw new IllegalArgumentException("no layouts given");
        }
        ClassMap first = layouts.get(0);
        int c = first.channels();
        int h = first.height();
        int w = first.width();
        int plane = h * w;
        float[] data = new float[layouts.size() * c * plane];
        for (int n = 0; n < layouts.size(); n++) {
            ClassMap layout = layouts.get(n);
            if (layout.width() != w || layout.height() != h || layout.channels() != c) {
                throw new IllegalArgumentException("layout " + n + " is " + layout + " but layout 0 is " + first
                        + "; a batch needs one size and channel count");
            }
            int[] ids = layout.ids();
            int base = n * c * plane;
            for (int p = 0; p < plane; p++) {
                data[base + ids[p] * plane + p] = 1f;
            }
        }
        return manager.create(data, new Shape(layouts.size(), c, h, w));
    }
}
