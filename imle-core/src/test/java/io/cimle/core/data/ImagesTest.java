package io.cimle.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImagesTest {
    private static RgbImage gradient(int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.set(x, y, x * 255 / (w - 1), y * 255 / (h - 1), 100);
            }
        }
        return img;
    }

    @Test
    void pngRoundTripsExactlyAndJpegClosely() {
        RgbImage img = gradient(32, 16);
        assertEquals(img, Images.decode(Images.encodePng(img)));
        RgbImage j = Images.decode(Images.encodeJpeg(img, 0.95f));
        long err = 0;
        for (int i = 0; i < img.rgb().length; i++) {
            err += Math.abs((img.rgb()[i] & 0xff) - (j.rgb()[i] & 0xff));
        }
        assertTrue(err / (double) img.rgb().length < 4, "mean JPEG error " + err / (double) img.rgb().length);
    }

    @Test
    void badBytesGiveClearErrors() {
        byte[] png = Images.encodePng(gradient(32, 16));
        byte[] jpeg = Images.encodeJpeg(gradient(32, 16), 0.9f);
        byte[] random = new byte[300];
        new Random(3).nextBytes(random);
        for (byte[] bad : new byte[][] {random, Arrays.copyOf(png, png.length / 2), Arrays.copyOf(jpeg, jpeg.length / 2)}) {
            ImageException e = assertThrows(ImageException.class, () -> Images.decode(bad));
            assertEquals(ImageException.Reason.UNDECODABLE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().startsWith("photo"), e.getMessage());
        }
        ImageException bomb = assertThrows(ImageException.class, () -> Images.decode(LayoutFixtures.headerOnlyPng(100_000, 100_000)));
        assertEquals(ImageException.Reason.TOO_LARGE, bomb.reason());
    }

    @Test
    void resizeAveragesAreasAndInterpolatesUp() {
        RgbImage img = RgbImage.blank(4, 2);
        img.set(0, 0, 0, 0, 0);
        img.set(1, 0, 200, 100, 50);
        img.set(0, 1, 100, 100, 100);
        img.set(1, 1, 100, 0, 50);
        RgbImage half = Images.resize(img, 2, 1);
        assertEquals(100, half.get(0, 0, 0));
        assertEquals(50, half.get(0, 0, 1));
        assertEquals(50, half.get(0, 0, 2));
        RgbImage up = Images.resize(gradient(8, 4), 16, 8);
        assertEquals(16, up.width());
        assertTrue(up.get(15, 0, 0) >= up.get(0, 0, 0) + 200);
        // Bilinear is monotone on a gradient.
        for (int x = 1; x < 16; x++) {
            assertTrue(up.get(x, 0, 0) >= up.get(x - 1, 0, 0));
        }
    }
}
