package io.cimle.core.model;

import io.cimle.core.data.ClassMap;
import java.util.Arrays;

/**
 * Codes put together region by region: a base code whose part for layout class c is taken from
 * another code (its donor). For a per-pixel code a class's part is the noise at that class's pixels;
 * for a vector code with region blocks it is the class's block (the global part stays the base's).
 * Regional selection keeps such codes, so each class's appearance is matched on its own.
 */
public final class RegionalCodes {
    private RegionalCodes() {
    }

    /** Whether this model's code has a part per class (see {@link ModelConfig#hasRegionalCode()}). */
    public static boolean supported(ModelConfig config) {
        return config.hasRegionalCode();
    }

    /**
     * The code of seed {@code base} with the part of every class c taken from seed {@code donors[c]}
     * (a donor equal to the base changes nothing).
     *
     * @param layout the example's layout: which pixels a class's part covers (per-pixel codes only)
     */
    public static LatentCode compose(ModelConfig config, ClassMap layout, long base, long[] donors) {
        requireSupported(config);
        if (donors.length != config.channels()) {
            throw new IllegalArgumentException(donors.length + " donors for " + config.channels() + " classes");
        }
        int[] shape = LatentCodes.shapeFor(config);
        float[] values = LatentCode.fromSeed(base, shape).valuesView().clone();
        boolean changed = false;
        for (int c = 0; c < donors.length; c++) {
            if (donors[c] == base || (c > 0 && donorSeenBefore(donors, c))) {
                continue;
            }
            float[] donor = LatentCode.fromSeed(donors[c], shape).valuesView();
            changed |= config.noiseMode() == NoiseMode.VECTOR
                    ? copyBlocks(config, donors, donors[c], donor, values)
                    : copyPixels(config, layout, donors, donors[c], donor, values);
        }
        return changed ? LatentCode.ofValues(values, shape) : LatentCode.fromSeed(base, shape);
    }

    /** The code of seed {@code base} with every class's part from seed {@code donor}. */
    public static LatentCode withRegionsOf(ModelConfig config, ClassMap layout, long base, long donor) {
        long[] donors = new long[config.channels()];
        Arrays.fill(donors, donor);
        if (config.noiseMode() != NoiseMode.VECTOR) {
            return LatentCode.fromSeed(donor, LatentCodes.shapeFor(config)); // every pixel is some class's
        }
        return compose(config, layout, base, donors);
    }

    private static boolean donorSeenBefore(long[] donors, int c) {
        for (int k = 0; k < c; k++) {
            if (donors[k] == donors[c]) {
                return true;
            }
        }
        return false;
    }

    /** Copies the blocks of every class whose donor is {@code seed}. */
    private static boolean copyBlocks(ModelConfig config, long[] donors, long seed, float[] donor, float[] out) {
        int r = config.regionCodeDim();
        int offset = config.noiseVectorDim();
        boolean any = false;
        for (int c = 0; c < donors.length; c++) {
            if (donors[c] == seed) {
                System.arraycopy(donor, offset + c * r, out, offset + c * r, r);
                any = true;
            }
        }
        return any;
    }

    /** Copies, in every noise channel, the pixels of every class whose donor is {@code seed}. */
    private static boolean copyPixels(ModelConfig config, ClassMap layout, long[] donors, long seed, float[] donor,
                                      float[] out) {
        if (layout.width() != config.width() || layout.height() != config.height()) {
            throw new IllegalArgumentException("layout " + layout.width() + "x" + layout.height() + " does not fit the "
                    + config.width() + "x" + config.height() + " model");
        }
        int plane = config.width() * config.height();
        boolean any = false;
        for (int y = 0; y < config.height(); y++) {
            for (int x = 0; x < config.width(); x++) {
                if (donors[layout.at(x, y)] != seed) {
                    continue;
                }
                int p = y * config.width() + x;
                for (int z = 0; z < config.noiseChannels(); z++) {
                    out[z * plane + p] = donor[z * plane + p];
                }
                any = true;
            }
        }
        return any;
    }

    private static void requireSupported(ModelConfig config) {
        if (!supported(config)) {
            throw new IllegalArgumentException("model " + config.presetName() + " has a vector code without region "
                    + "blocks: set regionCodeDim > 0 to choose codes region by region");
        }
    }
}
