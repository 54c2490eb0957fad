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

    /** (n, 3, H, W) photos in the distance's 0..255 space, exactly the 8-bit values; all of one size. */
    public static NDArray pixels255(NDManager manager, List<RgbImage> photos) {
        RgbImage first = photos.get(0);
        int plane = first.width() * first.height();
        float[] data = new float[photos.size() * 3 * plane];
        for (int n = 0; n < photos.size(); n++) {
            RgbImage photo = photos.get(n);
            if (photo.width() != first.width() || photo.height() != first.height()) {
                throw new IllegalArgumentException("photo " + n + " is " + photo.width() + "x" + photo.height()
                        + " but photo 0 is " + first.width() + "x" + first.height());
            }
            byte[] rgb = photo.rgb();
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    data[(n * 3 + c) * plane + p] = rgb[3 * p + c] & 0xff;
                }
            }
        }
        return manager.create(data, new Shape(photos.size(), 3, first.height(), first.width()));
    }

    /** Generator output in [-1, 1] to the distance's 0..255 space (unclamped, so gradients pass). */
    public static NDArray to255(NDArray x) {
        return Scalars.times(Scalars.plus(x, 1), 127.5);
    }
}
