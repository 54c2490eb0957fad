package io.cimle.core.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Photo bytes <-> {@link RgbImage}, with the same size and decompression-bomb limits as layouts. */
public final class Images {
    private Images() {
    }

    /** Decodes PNG or JPEG bytes (sniffed), then resizes to the limits' target size if one is set. */
    public static RgbImage decode(byte[] bytes, LayoutLimits limits) {
        RgbImage image = RgbImage.of(SafeImageIO.read(bytes, limits, "photo").image());
        return limits.resizes() ? resize(image, limits.targetWidth(), limits.targetHeight()) : image;
    }

    public static RgbImage decode(byte[] bytes) {
        return decode(bytes, LayoutLimits.DEFAULT);
    }

    public static byte[] encodePng(RgbImage image) {
        return write(image.toBufferedImage(), "png");
    }

    /** JPEG at a quality in [0, 1] (0.9 is a good default for photos). */
    public static byte[] encodeJpeg(RgbImage image, float quality) {
        if (!(quality >= 0f && quality <= 1f)) {
            throw new IllegalArgumentException("JPEG quality must be in [0, 1], got " + quality);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image.toBufferedImage(), null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // In-memory stream: ImageIO.write(image, format, OutputStream) spills to a temp file per image
        // (create, write, delete: a large share of a small image's encode, more on a slow /tmp).
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, format, stream)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Resizes a photo per axis: area averaging where it shrinks (no aliasing), bilinear with
     * half-pixel centres where it grows.
     */
    public static RgbImage resize(RgbImage src, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (width == src.width() && height == src.height()) {
            return src;
        }
        Kernel kx = Kernel.of(src.width(), width);
        Kernel ky = Kernel.of(src.height(), height);
        // Horizontal pass into floats, then vertical pass.
        float[] tmp = new float[src.height() * width * 3];
        byte[] in = src.rgb();
        for (int y = 0; y < src.height(); y++) {
            for (int x = 0; x < width; x++) {
                float r = 0, g = 0, b = 0;
                for (int k = kx.start[x]; k < kx.start[x + 1]; k++) {
                    int o = (y * src.width() + kx.index[k]) * 3;
                    float w = kx.weight[k];
                    r += w * (in[o] & 0xff);
                    g += w * (in[o + 1] & 0xff);
                    b += w * (in[o + 2] & 0xff);
                }
                int o = (y * width + x) * 3;
                tmp[o] = r;
                tmp[o + 1] = g;
                tmp[o + 2] = b;
            }
        }
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float r = 0, g = 0, b = 0;
                for (int k = ky.start[y]; k < ky.start[y + 1]; k++) {
                    int o = (ky.index[k] * width + x) * 3;
                    float w = ky.weight[k];
                    r += w * tmp[o];
                    g += w * tmp[o + 1];
                    b += w * tmp[o + 2];
                }
                int o = (y * width + x) * 3;
                out[o] = (byte) clamp(Math.round(r));
                out[o + 1] = (byte) clamp(Math.round(g));
                out[o + 2] = (byte) clamp(Math.round(b));
            }
        }
        return new RgbImage(width, height, out);
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    /** Sparse 1-D resampling weights: output i reads index[start[i]..start[i+1]) with weight[]. */
    private record Kernel(int[] start, int[] index, float[] weight) {
        static Kernel of(int n, int m) {
            int[] start = new int[m + 1];
            int cap = m * (n / m + 3);
            int[] index = new int[Math.max(cap, 2 * m)];
            float[] weight = new float[index.length];
            int k = 0;
            double scale = (double) n / m;
            for (int i = 0; i < m; i++) {
                start[i] = k;
                if (m <= n) {
                    // Area: source interval [i*scale, (i+1)*scale), weighted by overlap.
                    double a = i * scale;
                    double b = (i + 1) * scale;
                    for (int s = (int) Math.floor(a); s < Math.min(n, (int) Math.ceil(b)); s++) {
                        double overlap = Math.min(b, s + 1) - Math.max(a, s);
                        if (overlap > 1e-9) {
                            index[k] = s;
                            weight[k++] = (float) (overlap / scale);
                        }
                    }
                } else {
                    double c = (i + 0.5) * scale - 0.5;
                    int s0 = (int) Math.floor(c);
                    double f = c - s0;
                    index[k] = Math.max(0, Math.min(n - 1, s0));
                    weight[k++] = (float) (1 - f);
                    index[k] = Math.max(0, Math.min(n - 1, s0 + 1));
                    weight[k++] = (float) f;
                }
            }
            start[m] = k;
            return new Kernel(start, index, weight);
        }
    }
}
