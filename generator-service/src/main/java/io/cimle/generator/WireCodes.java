package io.cimle.generator;

import io.cimle.core.model.LatentCode;

/** Latent codes between the core's record and the wire message. */
public final class WireCodes {
    private WireCodes() {
    }

    public static LatentCode fromWire(io.cimle.wire.v1.LatentCode wire) {
        int[] shape = wire.getShapeList().stream().mapToInt(Integer::intValue).toArray();
        if (wire.getValuesCount() == 0) {
            if (!wire.getHasSeed()) {
                throw new IllegalArgumentException("a latent code needs values or a seed");
            }
            return LatentCode.seedOnly(wire.getSeed(), shape);
        }
        float[] values = new float[wire.getValuesCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = wire.getValues(i);
        }
        return LatentCode.ofValues(values, shape);
    }

    /**
     * The wire form of a code: the seed alone when it came from one (compact, replayable), else its
     * values when there are at most {@code maxValues}, else only its shape (an interpolation frame:
     * the client knows the ends and the position).
     */
    public static io.cimle.wire.v1.LatentCode toWire(LatentCode code, int maxValues) {
        var b = io.cimle.wire.v1.LatentCode.newBuilder();
        for (int s : code.shape()) {
            b.addShape(s);
        }
        if (code.hasSeed()) {
            return b.setSeed(code.seed()).setHasSeed(true).build();
        }
        if (code.size() <= maxValues) {
            for (float v : code.values()) {
                b.addValues(v);
            }
        }
        return b.build();
    }
}
