package io.cimle.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Small PNGs written with ImageIO for decoder tests. */
final class LayoutFixtures {
    private LayoutFixtures() {
    }

    static byte[] grey8(int w, int h, int[] values) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, w, h, 0, values);
        return png(img);
    }

    static byte[] grey16(int w, int h, int[] values) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSamples(0, 0, w, h, 0, values);
        return png(img);
    }

    /** Palette PNG: pixel values are indices; the palette gives every index a made-up colour. */
    static byte[] palette(int w, int h, int[] indices) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (i * 7);
            g[i] = (byte) (255 - i);
            b[i] = (byte) (i * 13);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        img.getRaster().setSamples(0, 0, w, h, 0, indices);
        return png(img);
    }

    static byte[] rgb(int w, int h, int[] packedRgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, packedRgb, 0, w);
        return png(img);
    }

    static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG signature and a valid IHDR claiming the size, followed by nothing else. */
    static byte[] headerOnlyPng(int w, int h) {
        ByteBuffer buf = ByteBuffer.allocate(8 + 25);
        buf.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer chunk = ByteBuffer.allocate(17);
        chunk.put(new byte[] {'I', 'H', 'D', 'R'}).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(chunk.array());
        buf.putInt(13).put(chunk.array()).putInt((int) crc.getValue());
        return buf.array();
    }

    static int pack(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }
}
