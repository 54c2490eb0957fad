package io.cimle.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Code shapes for a model, validation, seed derivation and interpolation. */
public final class LatentCodes {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private LatentCodes() {
    }

    /** (noiseChannels, H, W) per-pixel for ENCODER and RAW, (d + C * regionCodeDim) for VECTOR. */
    public static int[] shapeFor(ModelConfig config) {
        return switch (config.noiseMode()) {
            case ENCODER, RAW -> new int[] {config.noiseChannels(), config.height(), config.width()};
            case VECTOR -> new int[] {config.codeVectorLength()};
        };
    }

    /**
     * The seed of sample {@code index} of a request with seed {@code seed}: the SplitMix64 finaliser
     * of {@code seed + (index + 1) * 0x9e3779b97f4a7c15}. Neighbouring requests (seed, seed + 1) thus
     * get unrelated codes, and a sample is reproducible from (seed, index) alone.
     */
    public static long derive(long seed, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index must be >= 0, got " + index);
        }
        return mix(seed + (index + 1L) * GOLDEN_GAMMA);
    }

    /** SplitMix64's finaliser: every bit of {@code z} spread over the result. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Code {@code index} of a request seeded with {@code seed}, for this model. */
    public static LatentCode sample(ModelConfig config, long seed, int index) {
        return LatentCode.fromSeed(derive(seed, index), shapeFor(config));
    }

    /**
     * Checks that {@code code} fits the model and returns it with values (drawn from its seed if it
     * came without). Position is used in the message.
     */
    public static LatentCode resolve(LatentCode code, ModelConfig config, int position) {
        if (code == null) {
            throw new IllegalArgumentException("latent code " + position + " is null");
        }
        int[] expected = shapeFor(config);
        if (!Arrays.equals(code.shape(), expected)) {
            throw new IllegalArgumentException("latent code " + position + " has shape " + Arrays.toString(code.shape())
                    + " but model " + config.presetName() + " (" + config.noiseMode() + ") needs "
                    + Arrays.toString(expected));
        }
        return code.materialise();
    }

    /**
     * {@code steps} codes from a (t = 0) to b (t = 1), evenly spaced: the one interpolation rule of sampling and
     * serving. The end frames are a and b themselves, so a seeded end keeps its seed and its exact bytes.
     */
    public static List<LatentCode> interpolation(LatentCode a, LatentCode b, int steps, InterpolationMethod method) {
        if (steps < 2) {
            throw new IllegalArgumentException("interpolation needs at least 2 steps, got " + steps);
        }
        List<LatentCode> out = new ArrayList<>(steps);
        for (int k = 0; k < steps; k++) {
            out.add(k == 0 ? a : k == steps - 1 ? b : interpolate(a, b, interpolationT(k, steps), method));
        }
        return out;
    }

    /** Where frame {@code k} of {@code steps} lies between the ends, in [0, 1]. */
    public static double interpolationT(int k, int steps) {
        return (double) k / (steps - 1);
    }

    /** The code at {@code t} in [0, 1] on the way from a to b; the result carries no seed. */
    public static LatentCode interpolate(LatentCode a, LatentCode b, double t, InterpolationMethod method) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("cannot interpolate codes of shapes " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("interpolation t must be in [0, 1], got " + t);
        }
        float[] x = a.valuesView();
        float[] y = b.valuesView();
        float[] out = new float[x.length];
        double wa = 1 - t;
        double wb = t;
        if (method == InterpolationMethod.SLERP) {
            double dot = 0;
            double nx = 0;
            double ny = 0;
            for (int i = 0; i < x.length; i++) {
                dot += (double) x[i] * y[i];
                nx += (double) x[i] * x[i];
                ny += (double) y[i] * y[i];
            }
            double cos = dot / Math.sqrt(nx * ny);
            double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
            double sin = Math.sin(omega);
            if (nx > 0 && ny > 0 && sin > 1e-6) { // else (nearly) parallel: linear is the limit
                wa = Math.sin((1 - t) * omega) / sin;
                wb = Math.sin(t * omega) / sin;
            }
        }
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (wa * x[i] + wb * y[i]);
        }
        return LatentCode.ofValues(out, a.shape());
    }
}
