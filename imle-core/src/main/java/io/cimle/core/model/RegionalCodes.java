package io.cimle.core.model;

import io.cimle.core.data.ClassMap;
import java.util.Arrays;
import java.util.List;

/**
 * Codes put together region by region: a base code whose code part k ({@link CodeParts}: a class, or
 * one instance of an instance class) is taken from another code (its donor). For a per-pixel code a
 * part is the noise at that part's pixels; for a vector code with region blocks it is the part's block
 * (the global part stays the base's). Regional selection keeps such codes, so each class's (and each
 * instance's) appearance is matched on its own.
 */
public final class RegionalCodes {
    private RegionalCodes() {
    }

    /** Whether this model's code has a part per class (see {@link ModelConfig#hasRegionalCode()}). */
    public static boolean supported(ModelConfig config) {
        return config.hasRegionalCode();
    }

    /**
     * The code of seed {@code base} with every part k taken from seed {@code donors[k]} (a donor equal to
     * the base changes nothing).
     *
     * @param layout the example's layout: which pixels a part covers (per-pixel codes only)
     */
    public static LatentCode compose(ModelConfig config, ClassMap layout, long base, long[] donors) {
        requireSupported(config);
        int parts = CodeParts.count(config);
        if (donors.length != parts) {
            throw new IllegalArgumentException(donors.length + " donors for " + parts + " code parts");
        }
        int[] shape = LatentCodes.shapeFor(config);
        float[] values = LatentCode.fromSeed(base, shape).valuesView().clone();
        int[] partOf = config.noiseMode() == NoiseMode.VECTOR ? null : partsOf(config, layout);
        boolean changed = false;
        for (int c = 0; c < donors.length; c++) {
            if (donors[c] == base || (c > 0 && donorSeenBefore(donors, c))) {
                continue;
            }
            float[] donor = LatentCode.fromSeed(donors[c], shape).valuesView();
            changed |= config.noiseMode() == NoiseMode.VECTOR
                    ? copyBlocks(config, donors, donors[c], donor, values)
                    : copyPixels(config, partOf, donors, donors[c], donor, values);
        }
        return changed ? LatentCode.ofValues(values, shape) : LatentCode.fromSeed(base, shape);
    }

    /**
     * A per-pixel code whose part k is that of {@code codes.get(from[k])} (pixel for pixel): parts chosen among codes
     * that are not all seeds (a bank's matched vectors beside a kept code).
     */
    public static LatentCode composeValues(ModelConfig config, ClassMap layout, List<LatentCode> codes, int[] from) {
        requireSupported(config);
        if (config.noiseMode() == NoiseMode.VECTOR) {
            throw new IllegalArgumentException("composing codes by value needs a per-pixel code");
        }
        int[] partOf = partsOf(config, layout);
        if (from.length != CodeParts.count(config)) {
            throw new IllegalArgumentException(from.length + " sources for " + CodeParts.count(config) + " code parts");
        }
        float[][] values = new float[codes.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = codes.get(i).materialise().valuesView();
        }
        int plane = config.width() * config.height();
        float[] out = new float[config.noiseChannels() * plane];
        for (int p = 0; p < plane; p++) {
            float[] source = values[from[partOf[p]]];
            for (int z = 0; z < config.noiseChannels(); z++) {
                out[z * plane + p] = source[z * plane + p];
            }
        }
        return LatentCode.ofValues(out, LatentCodes.shapeFor(config));
    }

    /** The code of seed {@code base} with every part from seed {@code donor}. */
    public static LatentCode withRegionsOf(ModelConfig config, ClassMap layout, long base, long donor) {
        long[] donors = new long[CodeParts.count(config)];
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

    /** Copies the blocks of every part whose donor is {@code seed}. */
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

    /** Copies, in every noise channel, the pixels of every part whose donor is {@code seed}. */
    private static boolean copyPixels(ModelConfig config, int[] partOf, long[] donors, long seed, float[] donor,
                                      float[] out) {
        int plane = config.width() * config.height();
        boolean any = false;
        for (int p = 0; p < plane; p++) {
            if (donors[partOf[p]] != seed) {
                continue;
            }
            for (int z = 0; z < config.noiseChannels(); z++) {
                out[z * plane + p] = donor[z * plane + p];
            }
            any = true;
        }
        return any;
    }

    private static int[] partsOf(ModelConfig config, ClassMap layout) {
        if (layout.width() != config.width() || layout.height() != config.height()) {
            throw new IllegalArgumentException("layout " + layout.width() + "x" + layout.height() + " does not fit the "
                    + config.width() + "x" + config.height() + " model");
        }
        return CodeParts.of(config, layout);
    }

    private static void requireSupported(ModelConfig config) {
        if (!supported(config)) {
            throw new IllegalArgumentException("model " + config.presetName() + " has a vector code without region "
                    + "blocks: set regionCodeDim > 0 to choose codes region by region");
        }
    }
}
