package io.cimle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Spatial resizing of (N, C, H, W) tensors through libtorch's interpolate (DJL's NDArray API lacks it). */
final class Resize {
    // Mode numbers of DJL's JNI torchNNInterpolate (djl_pytorch_utils.h GetInterpolationMode).
    private static final int BILINEAR = 2;
    private static final int AREA = 5;

    /**
     * The align_corners flag as DJL's JNI must receive it to mean align_corners=true. DJL 0.33
     * with libtorch 2.5.1 inverts it (passing true gives align_corners=false results), so it is
     * measured once on a 2x2 -> 3x3 upsample instead of trusted: align_corners=true puts the
     * input's corners (0 and 1 in the first row) on the output's, giving 0.5 in the middle.
     */
    private static final boolean ALIGN_CORNERS_FLAG = probeAlignCornersFlag();

    private Resize() {
    }

    private static boolean probeAlignCornersFlag() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
            float middle = JniUtils.interpolate((PtNDArray) x, new long[] {3, 3}, BILINEAR, true).getFloat(0, 0, 0, 1);
            return Math.abs(middle - 0.5f) < 1e-6f;
        }
    }

    /** Bilinear with align_corners=true, as CRN's tf.image.resize_bilinear(..., align_corners=True). */
    static NDArray bilinear(NDArray x, int height, int width) {
        if (sameSize(x, height, width)) {
            return x;
        }
        return JniUtils.interpolate((PtNDArray) x, new long[] {height, width}, BILINEAR, ALIGN_CORNERS_FLAG);
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
