package io.cimle.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded semantic layout: one channel index per pixel, row-major (y * width + x).
 * Values lie in [0, channels): 0..numClasses-1 are the data set's classes and the last index
 * ({@code channels - 1}) is "void/other", where unknown or ignored labels land.
 */
public record ClassMap(int width, int height, int channels, int[] ids) {
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
    }

    public int voidChannel() {
        return channels - 1;
    }

    public int at(int x, int y) {
        return ids[y * width + x];
    }

    /** Nearest-neighbour resize: class ids must never be blended. */
    public ClassMap resizeNearest(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        int[] out = new int[newWidth * newHeight];
        for (int y = 0; y < newHeight; y++) {
            int sy = Math.min(height - 1, (int) ((y + 0.5) * height / newHeight));
            for (int x = 0; x < newWidth; x++) {
                int sx = Math.min(width - 1, (int) ((x + 0.5) * width / newWidth));
                out[y * newWidth + x] = ids[sy * width + sx];
            }
        }
        return new ClassMap(newWidth, newHeight, channels, out);
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
                && Arrays.equals(c.ids, ids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, channels, Arrays.hashCode(ids));
    }

    @Override
    public String toString() {
        return "ClassMap[" + width + "x" + height + ", channels=" + channels + "]";
    }
}
