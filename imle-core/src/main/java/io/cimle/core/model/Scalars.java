package io.cimle.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic with a constant, for every op that autograd may record.
 *
 * <p>DJL's {@code x.mul(Number)} (and add, div, ...) wraps the constant in a tensor over a direct
 * ByteBuffer, runs the op and closes that tensor at once, which drops the only Java reference to
 * the buffer. Autograd, though, saves the constant for the backward pass (MulBackward keeps the
 * other operand), and the JVM frees the buffer at its next garbage collection. A collection
 * between forward and backward hands the backward pass whatever now lies there: gradients of
 * exactly 0 ("no gradient reached the generator"), Inf ("gradient norm not finite"), or silently
 * wrong ones, depending on when the collector ran. That is why seeded runs differed only under
 * load and why the stall could not be reproduced on demand; {@code ScalarLifetimeTest} forces a
 * collection every few milliseconds and proves the weights no longer change with it. Here the
 * constant's tensor belongs to the operand's manager and lives until that manager closes (for a
 * training step: after its backward pass).
 */
public final class Scalars {
    private Scalars() {
    }

    /** x * value (broadcast). */
    public static NDArray times(NDArray x, double value) {
        return x.mul(constantLike(x, value));
    }

    /** x + value (broadcast). */
    public static NDArray plus(NDArray x, double value) {
        return x.add(constantLike(x, value));
    }

    /** A 0-d tensor of x's type in x's manager (not closed here: autograd may hold it). */
    private static NDArray constantLike(NDArray x, double value) {
        return x.getManager().create((float) value).toType(x.getDataType(), false);
    }
}
