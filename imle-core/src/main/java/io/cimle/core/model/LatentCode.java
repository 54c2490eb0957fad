package io.cimle.core.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One latent code z. Either carries its values, or only a seed from which the values are drawn
 * (so a reply can carry a seed instead of a large per-pixel code). Values are drawn on the Java
 * side, so a seed means the same code on every device and engine.
 *
 * @param values  row-major values of the given shape, or null when only the seed is known
 * @param shape   (channels, height, width) for per-pixel noise, (d) for a vector code
 * @param seed    the seed the values were (or will be) drawn from; meaningful only if hasSeed
 * @param hasSeed whether {@code values} equal {@code fromSeed(seed, shape).values()}
 */
public record LatentCode(float[] values, int[] shape, long seed, boolean hasSeed) {
    public LatentCode {
        Objects.requireNonNull(shape, "shape");
        shape = shape.clone();
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] <= 0) {
                throw new IllegalArgumentException("latent code shape " + Arrays.toString(shape) + " has a non-positive"
                        + " size at dimension " + i);
            }
            size *= shape[i];
        }
        if (shape.length == 0) {
            throw new IllegalArgumentException("latent code shape must have at least one dimension");
        }
        if (values == null && !hasSeed) {
            throw new IllegalArgumentException("a latent code needs values or a seed");
        }
        if (values != null) {
            if (values.length != size) {
                throw new IllegalArgumentException("latent code of shape " + Arrays.toString(shape) + " needs " + size
                        + " values, got " + values.length);
            }
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IllegalArgumentException("latent code value " + values[i] + " at index " + i
                            + " is not finite");
                }
            }
            values = values.clone();
        }
    }

    /** Draws N(0, 1) values deterministically from {@code seed} (see {@link #gaussians}). */
    public static LatentCode fromSeed(long seed, int... shape) {
        long size = 1;
        for (int s : shape) {
            size *= s;
        }
        if (size > Integer.MAX_VALUE || size <= 0) {
            throw new IllegalArgumentException("latent code shape " + Arrays.toString(shape) + " is not a valid size");
        }
        return new LatentCode(gaussians(seed, (int) size), shape, seed, true);
    }

    /** A code known only by its seed; {@link #materialise()} draws its values. */
    public static LatentCode seedOnly(long seed, int... shape) {
        return new LatentCode(null, shape, seed, true);
    }

    public static LatentCode ofValues(float[] values, int... shape) {
        return new LatentCode(values, shape, 0L, false);
    }

    /** This code with its values drawn from the seed when it came without them. */
    public LatentCode materialise() {
        return values != null ? this : fromSeed(seed, shape);
    }

    public boolean hasValues() {
        return values != null;
    }

    @Override
    public float[] values() {
        return values == null ? null : values.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Values without a defensive copy, for the package's tensor code. */
    float[] valuesView() {
        return materialise().values;
    }

    public int size() {
        int size = 1;
        for (int s : shape) {
            size *= s;
        }
        return size;
    }

    /**
     * Standard normal values by Box-Muller over {@link SplittableRandom#nextDouble()}: both are
     * fully specified, so the sequence is the same on every JVM (unlike nextGaussian, whose
     * algorithm changed in Java 17).
     */
    static float[] gaussians(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[count];
        for (int i = 0; i < count; i += 2) {
            double u1 = 1.0 - random.nextDouble(); // (0, 1]: log stays finite
            double u2 = random.nextDouble();
            double r = Math.sqrt(-2.0 * Math.log(u1));
            out[i] = (float) (r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < count) {
                out[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatentCode c && Arrays.equals(c.values, values) && Arrays.equals(c.shape, shape)
                && c.seed == seed && c.hasSeed == hasSeed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(values), Arrays.hashCode(shape), seed, hasSeed);
    }

    @Override
    public String toString() {
        return "LatentCode[shape=" + Arrays.toString(shape) + (hasSeed ? ", seed=" + seed : "")
                + (values == null ? ", seed only" : "") + "]";
    }
}
