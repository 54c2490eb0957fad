package io.cimle.core.model;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Example;
import io.cimle.core.data.InstanceClasses;
import io.cimle.core.data.LayoutComponents;
import java.util.Arrays;
import java.util.List;

/**
 * How a layout's pixels divide among the parts of a code: every class is one part, except the
 * model's instance classes, which have {@code instanceSlots} parts, one per instance. An instance is a
 * connected component of its class ({@link LayoutComponents}); the instance of rank k takes its class's
 * part {@code k mod instanceSlots} (so with more instances than parts, the (slots+1)-th largest shares the
 * largest's appearance), and fragments too small to be instances take part 0 with the largest.
 *
 * <p>Parts are numbered class by class: class c's parts start at {@link #offset}. A vector code holds one
 * block of {@code regionCodeDim} values per part (the global part first), whatever the layout; a layout
 * with fewer instances leaves the remaining blocks unread. So a seed's code has the same length and bytes
 * on every layout, and a code reused on another layout (style reuse, scene editing) gives the k-th largest
 * car of that layout the block the k-th largest car had. A per-pixel code's part is its pixels.
 */
public final class CodeParts {
    private CodeParts() {
    }

    /**
     * The model with its instance classes read from the training data ({@link InstanceClasses}) when it has
     * instance slots but no classes yet; a model that has them (a resumed one) keeps its own.
     */
    public static ModelConfig fitToData(ModelConfig config, List<Example> examples) {
        if (config.instanceSlots() <= 1 || config.instanceClasses().length > 0 || !config.hasRegionalCode()) {
            return config;
        }
        return config.withInstanceParts(config.instanceSlots(), InstanceClasses.fit(examples));
    }

    /** Number of parts: one per class, instanceSlots per instance class. */
    public static int count(ModelConfig config) {
        return config.partsAreClasses() ? config.channels()
                : config.channels() + (config.instanceSlots() - 1) * config.instanceClasses().length;
    }

    /** Parts of class {@code c}. */
    public static int slots(ModelConfig config, int c) {
        return isInstanceClass(config, c) ? config.instanceSlots() : 1;
    }

    /** Index of class {@code c}'s first part. */
    public static int offset(ModelConfig config, int c) {
        if (config.partsAreClasses()) {
            return c;
        }
        int before = 0;
        for (int k : config.instanceClasses()) {
            if (k < c) {
                before++;
            }
        }
        return c + before * (config.instanceSlots() - 1);
    }

    /** The class a part belongs to. */
    public static int classOf(ModelConfig config, int part) {
        for (int c = config.channels() - 1; c >= 0; c--) {
            if (offset(config, c) <= part) {
                return c;
            }
        }
        throw new IllegalArgumentException("no part " + part);
    }

    static boolean isInstanceClass(ModelConfig config, int c) {
        return !config.partsAreClasses() && Arrays.binarySearch(config.instanceClasses(), c) >= 0;
    }

    /** The part of every pixel of {@code layout} (row-major), in [0, count(config)). */
    public static int[] of(ModelConfig config, ClassMap layout) {
        int[] ids = layout.ids();
        if (config.partsAreClasses()) {
            return ids.clone();
        }
        LayoutComponents components = LayoutComponents.of(layout);
        int slots = config.instanceSlots();
        int[] partOfComponent = new int[components.count()];
        for (int k = 0; k < partOfComponent.length; k++) {
            int c = components.classOf(k);
            partOfComponent[k] = offset(config, c) + (isInstanceClass(config, c) ? components.rank(k) % slots : 0);
        }
        int[] out = new int[ids.length];
        for (int p = 0; p < ids.length; p++) {
            out[p] = partOfComponent[components.componentAt(p)];
        }
        return out;
    }

    /** Pixels per part. */
    public static int[] histogram(ModelConfig config, int[] partOfPixel) {
        int[] h = new int[count(config)];
        for (int p : partOfPixel) {
            h[p]++;
        }
        return h;
    }
}
