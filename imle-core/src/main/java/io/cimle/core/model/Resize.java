package io.cimle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Spatial resizing of (N, C, H, W) tensors through libtorch's interpolate (DJL's NDArray API lacks it). */
public final class Resize {
    // Mode numbers of DJL's JNI torchNNInterpolate (djl_pytorch_utils.h GetInterpolationMode).
    private static final int BILINEAR = 2;
    private static final int AREA = 5;

    /**
     * align_corners for bilinear resizes. DJL 0.33's JNI always asks libtorch for its antialiased
     * kernel; with align_corners=true that kernel shifts the image (2 -> 4 pixels of [0, 1] gives
     * [0, 0, 1/3, 2/3]), while with false it equals plain half-pixel bilinear when upsampling
     * ([0, .25, .75, 1]), which is all the generator does with it. CRN's reference aligns corners;
     * the difference is a sub-pixel convention, not a quality one (measured in BlocksTest).
     */
    private static final boolean ALIGN_CORNERS_FLAG = false;

    private Resize() {
    }

    /** Bilinear, half-pixel centres (see ALIGN_CORNERS_FLAG for why not CRN's align_corners=true). */
    public static NDArray bilinear(NDArray x, int height, int width) {
        if (sameSize(x, height, width)) {
            return x;
        }
        return JniUtils.interpolate((PtNDArray) x, new long[] {height, width}, BILINEAR, ALIGN_CORNERS_FLAG);
    }

    /** Area averaging: a one-hot layout becomes per-class coverage fractions at the coarser scale. */
    public static NDArray area(NDArray x, int height, int width) {
        if (sameSize(x, height, width)) {
            return x;
        }
        return JniUtils.interpolate((PtNDArray) x, new long[] {height, width}, AREA, false);
    }

    /**
     * Point sampling for the noise: one full-resolution value per coarse cell (the centre pixel of
     * each block), so per-pixel noise keeps its variance at every scale. An averaging resize
     * (libtorch's antialiased bilinear, which is all DJL's JNI offers) would shrink it by the
     * factor squared: 64x at 32x64's coarsest module, where the global appearance (time of day)
     * is decided, and the cascade then only varies textures. The reference's TF bilinear resize
     * does not antialias either. Sizes must divide the input's (the cascade halves each time).
     */
    public static NDArray sample(NDArray x, int height, int width) {
        if (sameSize(x, height, width)) {
            return x;
        }
        long[] s = x.getShape().getShape();
        if (s[2] % height != 0 || s[3] % width != 0) {
            throw new IllegalArgumentException("cannot point-sample " + s[2] + "x" + s[3] + " to " + height + "x"
                    + width + ": the sizes must divide");
        }
        long fy = s[2] / height;
        long fx = s[3] / width;
        return x.get(new NDIndex(":, :, {}::{}, {}::{}", fy / 2, fy, fx / 2, fx));
    }

    private static boolean sameSize(NDArray x, int height, int width) {
        long[] s = x.getShape().getShape();
        return s[2] == height && s[3] == width;
    }
}
