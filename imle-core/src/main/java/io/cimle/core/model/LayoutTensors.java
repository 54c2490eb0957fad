package io.cimle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.LayoutComponents;
import java.util.ArrayList;
import java.util.List;

/** Layouts as one-hot tensors: over their classes, or over a model's code parts. */
public final class LayoutTensors {
    private LayoutTensors() {
    }

    /** (N, C, H, W) float32 one-hot; all layouts must share size and channel count. */
    public static NDArray oneHot(NDManager manager, List<ClassMap> layouts) {
        ClassMap first = check(layouts);
        List<int[]> ids = new ArrayList<>(layouts.size());
        layouts.forEach(l -> ids.add(l.ids()));
        return oneHot(manager, ids, first.channels(), first.height(), first.width());
    }

    /**
     * The layout as the network reads it: {@code classes} (the layouts' {@link #oneHot}) itself, or, where the
     * model's form has instance edges, a copy with one more channel that is 1 where a 4-neighbour belongs to
     * another object of the pixel's class. {@code classes} stays open either way (it may serve as the parts too).
     */
    public static NDArray input(NDManager manager, NDArray classes, List<ClassMap> layouts, ModelConfig config) {
        if (!config.instanceEdges()) {
            return classes;
        }
        ClassMap first = layouts.get(0);
        int w = first.width();
        int h = first.height();
        float[] edges = new float[layouts.size() * w * h];
        for (int n = 0; n < layouts.size(); n++) {
            ClassMap layout = layouts.get(n);
            LayoutComponents objects = LayoutComponents.of(layout);
            int[] ids = layout.ids();
            for (int p = 0; p < w * h; p++) {
                int x = p % w;
                int y = p / w;
                int o = objects.componentAt(p);
                boolean edge = x > 0 && ids[p - 1] == ids[p] && objects.componentAt(p - 1) != o
                        || x < w - 1 && ids[p + 1] == ids[p] && objects.componentAt(p + 1) != o
                        || y > 0 && ids[p - w] == ids[p] && objects.componentAt(p - w) != o
                        || y < h - 1 && ids[p + w] == ids[p] && objects.componentAt(p + w) != o;
                edges[n * w * h + p] = edge ? 1f : 0f;
            }
        }
        try (NDArray edgeMap = manager.create(edges, new Shape(layouts.size(), 1, h, w))) {
            return classes.concat(edgeMap, 1);
        }
    }

    /** The network's layout and parts inputs: {@link #input} and {@link #parts}, one one-hot serving both where it can. */
    public static NDList layoutAndParts(NDManager manager, List<ClassMap> layouts, ModelConfig config) {
        NDArray classes = oneHot(manager, layouts);
        NDArray parts = config.partsAreClasses() ? classes : parts(manager, layouts, config);
        return new NDList(input(manager, classes, layouts, config), parts);
    }

    /** (N, P, H, W) float32 one-hot over the model's code parts ({@link CodeParts}): which part each pixel reads. */
    public static NDArray parts(NDManager manager, List<ClassMap> layouts, ModelConfig config) {
        ClassMap first = check(layouts);
        if (config.partsAreClasses()) {
            return oneHot(manager, layouts);
        }
        List<int[]> parts = new ArrayList<>(layouts.size());
        layouts.forEach(l -> parts.add(CodeParts.of(config, l)));
        return oneHot(manager, parts, CodeParts.count(config), first.height(), first.width());
    }

    /** (N, P, H, W) one-hot of per-pixel indices in [0, P). */
    public static NDArray oneHot(NDManager manager, List<int[]> indices, int p, int h, int w) {
        int plane = h * w;
        float[] data = new float[indices.size() * p * plane];
        for (int n = 0; n < indices.size(); n++) {
            int[] ids = indices.get(n);
            int base = n * p * plane;
            for (int i = 0; i < plane; i++) {
                data[base + ids[i] * plane + i] = 1f;
            }
        }
        return manager.create(data, new Shape(indices.size(), p, h, w));
    }

    private static ClassMap check(List<ClassMap> layouts) {
        if (layouts.isEmpty()) {
            throw new IllegalArgumentException("no layouts given");
        }
        ClassMap first = layouts.get(0);
        for (int n = 0; n < layouts.size(); n++) {
            ClassMap layout = layouts.get(n);
            if (layout.width() != first.width() || layout.height() != first.height()
                    || layout.channels() != first.channels()) {
                throw new IllegalArgumentException("layout " + n + " is " + layout + " but layout 0 is " + first
                        + "; a batch needs one size and channel count");
            }
        }
        return first;
    }
}
