package io.cimle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Spatial resizing of (N, C, H, W) tensors through libtorch's interpolate (DJL's NDArray API lacks it). */
final class Resize {
    // Mode numbers of DJL's JNI torchNNInterpolate (djl_pytorch_utils.h GetInterpolationMode).
    private static final int BILINEAR = 2;
    private static final int AREA = 5;

    private Resize() {
    }

    /** Bilinear with align_corners=true, as CRN's tf.image.resize_bilinear(..., align_corners=True). */
    static NDArray bilinear(NDArray x, int height, int width) {
        if (sameSize(x, height, width)) {
            return x;
        }
        return JniUtils.interpolate((PtNDArray) x, new long[] {height, width}, BILINEAR, true);
    }

    /** Area averaging: a one-hot layout becomes per-class coverage fractions at the coarser scale. */
    static NDArray area(NDArray x, int height, int width) {
        if (sameSize(x, height, width)) {
            return x;
        }
        return JniUtils.interpolate((PtNDArray) x, new long[] {height, width}, AREA, false);
    }

    private static boolean sameSize(NDArray x, int height, int width) {
        long[] s = x.getShape().getShape();
        return s[2] == height && s[3] == width;
    }
}
