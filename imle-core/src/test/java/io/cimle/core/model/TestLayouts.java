package io.cimle.core.model;

import io.cimle.core.data.ClassMap;
import java.util.SplittableRandom;

/** Small synthetic layouts: horizontal bands plus a random rectangle, so every scale sees structure. */
final class TestLayouts {
    private TestLayouts() {
    }

    static ClassMap layout(int width, int height, int channels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[width * height];
        int x0 = random.nextInt(width / 2);
        int y0 = random.nextInt(height / 2);
        int rect = random.nextInt(channels);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int band = Math.min(channels - 1, y * channels / height);
                boolean inRect = x >= x0 && x < x0 + width / 3 && y >= y0 && y < y0 + height / 3;
                ids[y * width + x] = inRect ? rect : band;
            }
        }
        return new ClassMap(width, height, channels, ids);
    }
}
