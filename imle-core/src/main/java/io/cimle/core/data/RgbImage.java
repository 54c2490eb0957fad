package io.cimle.core.data;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Objects;

/** An 8-bit RGB image, row-major, interleaved (r, g, b per pixel). The unit photos travel in. */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(rgb, "rgb");
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " bytes, got " + rgb.length);
        }
    }

    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[width * height * 3]);
    }

    public static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = (y * w + x) * 3;
                out[o] = (byte) (p >> 16);
                out[o + 1] = (byte) (p >> 8);
                out[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, out);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = (y * width + x) * 3;
                row[x] = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    /** Channel c (0=r, 1=g, 2=b) of pixel (x, y), 0..255. */
    /** Mean absolute difference of every channel of every pixel, in [0, 1]; both images of one size. */
    public double meanAbsDifference(RgbImage other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("images of " + width + "x" + height + " and " + other.width + "x"
                    + other.height + " cannot be compared");
        }
        long total = 0;
        for (int i = 0; i < rgb.length; i++) {
            total += Math.abs((rgb[i] & 0xff) - (other.rgb[i] & 0xff));
        }
        return total / (255.0 * rgb.length);
    }

    public int get(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xff;
    }

    public void set(int x, int y, int r, int g, int b) {
        int o = (y * width + x) * 3;
        rgb[o] = (byte) clamp(r);
        rgb[o + 1] = (byte) clamp(g);
        rgb[o + 2] = (byte) clamp(b);
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage i && i.width == width && i.height == height && Arrays.equals(i.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, Arrays.hashCode(rgb));
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
