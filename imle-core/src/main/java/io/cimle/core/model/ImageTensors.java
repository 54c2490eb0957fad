package io.cimle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cimle.core.data.RgbImage;

import java.util.ArrayList;
import java.util.List;

/** Conversions between RGB images and (N, 3, H, W) tensors in [-1, 1] space. */
public final class ImageTensors {
    private ImageTensors() {
    }

    /** 0..255 = (x + 1) * 127.5, clamped and rounded; NaN becomes 0. */
    public static List<RgbImage> toImages(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("images must be (N, 3, H, W), got " + s);
        }
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int plane = h * w;
        float[] data = images.toType(DataType.FLOAT32, false).toFloatArray();
        List<RgbImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] rgb = new byte[plane * 3];
            int base = i * 3 * plane;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    double v = (data[base + c * plane + p] + 1.0) * 127.5;
                    long q = Double.isNaN(v) ? 0 : Math.round(Math.max(0, Math.min(255, v)));
                    rgb[p * 3 + c] = (byte) q;
                }
            }
            out.add(new RgbImage(w, h, rgb));
        }
        return out;
    }

    /** (N, 3, H, W) float32 in [-1, 1]; all images must share one size. */
    public static NDArray fromImages(NDManager manager, List<RgbImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images given");
        }
        int w = images.get(0).width();
        int h = images.get(0).height();
        int plane = h * w;
        float[] data = new float[images.size() * 3 * plane];
        for (int i = 0; i < images.size(); i++) {
            RgbImage image = images.get(i);
            if (image.width() != w || image.height() != h) {
                throw new IllegalArgumentException("image " + i + " is " + image.width() + "x" + image.height()
                        + " but image 0 is " + w + "x" + h);
            }
            byte[] rgb = image.rgb();
            int base = i * 3 * plane;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    data[base + c * plane + p] = (rgb[p * 3 + c] & 0xff) / 127.5f - 1f;
                }
            }
        }
        return manager.create(data, new Shape(images.size(), 3, h, w));
    }
}
