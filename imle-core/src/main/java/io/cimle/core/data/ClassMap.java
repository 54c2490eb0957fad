package io.cimle.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded semantic layout: one channel index per pixel, row-major (y * width + x).
 * Values lie in [0, channels): 0..numClasses-1 are the data set's classes and the last index
 * ({@code channels - 1}) is "void/other", where unknown or ignored labels land.
 *
 * <p>{@code instances}, when not null, says which object each pixel belongs to: 0 for none, any other
 * value names an instance of the class at that pixel (Cityscapes' {@code instanceIds}, a paired folder's
 * {@code instances/NAME.png}). Pixels of one class with one value are one object wherever they lie; values
 * need not be unique across classes. Without it, objects are the connected components of each class
 * ({@link LayoutComponents}).
 */
public record ClassMap(int width, int height, int channels, int[] ids, int[] instances) {
    public ClassMap {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("layout size must be positive, got " + width + "x" + height);
        }
        if (channels < 2) {
            throw new IllegalArgumentException("a layout needs at least one class and the void channel, got " + channels);
        }
        Objects.requireNonNull(ids, "ids");
        if (ids.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " ids, got " + ids.length);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= channels) {
                throw new IllegalArgumentException("channel index " + ids[i] + " at x=" + (i % width) + " y="
                        + (i / width) + " is outside [0, " + channels + ")");
            }
        }
        if (instances != null) {
            if (instances.length != ids.length) {
                throw new IllegalArgumentException("expected " + ids.length + " instance values, got " + instances.length);
            }
            for (int i = 0; i < instances.length; i++) {
                if (instances[i] < 0) {
                    throw new IllegalArgumentException("instance value " + instances[i] + " at x=" + (i % width)
                            + " y=" + (i / width) + " is negative");
                }
            }
        }
    }

    /** A layout without an instance map. */
    public ClassMap(int width, int height, int channels, int[] ids) {
        this(width, height, channels, ids, null);
    }

    /** Whether the layout says which object each pixel belongs to. */
    public boolean hasInstances() {
        return instances != null;
    }

    /** The same classes with this instance map (null: none). */
    public ClassMap withInstances(int[] instanceMap) {
        return new ClassMap(width, height, channels, ids, instanceMap);
    }

    public int voidChannel() {
        return channels - 1;
    }

    public int at(int x, int y) {
        return ids[y * width + x];
    }

    /** Nearest-neighbour resize of classes and instances alike: ids must never be blended. */
    public ClassMap resizeNearest(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        int[] out = new int[newWidth * newHeight];
        int[] outInstances = instances == null ? null : new int[out.length];
        for (int y = 0; y < newHeight; y++) {
            int sy = Math.min(height - 1, (int) ((y + 0.5) * height / newHeight));
            for (int x = 0; x < newWidth; x++) {
                int sx = Math.min(width - 1, (int) ((x + 0.5) * width / newWidth));
                out[y * newWidth + x] = ids[sy * width + sx];
                if (outInstances != null) {
                    outInstances[y * newWidth + x] = instances[sy * width + sx];
                }
            }
        }
        return new ClassMap(newWidth, newHeight, channels, out, outInstances);
    }

    /** Pixel count per channel. */
    public int[] histogram() {
        int[] h = new int[channels];
        for (int id : ids) {
            h[id]++;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassMap c && c.width == width && c.height == height && c.channels == channels
                && Arrays.equals(c.ids, ids) && Arrays.equals(c.instances, instances);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(width, height, channels, Arrays.hashCode(ids));
        return instances == null ? h : 31 * h + Arrays.hashCode(instances);
    }

    @Override
    public String toString() {
        return "ClassMap[" + width + "x" + height + ", channels=" + channels + (instances != null ? ", instances" : "")
                + "]";
    }
}
