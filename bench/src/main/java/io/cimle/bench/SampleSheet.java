package io.cimle.bench;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.Sampler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A picture of a trained model's samples: one row per held-out layout, one column per sample, each pixel drawn
 * as a square, so what the figures count (blends, ties, blur) can be seen.
 */
final class SampleSheet {
    private static final int SCALE = 4;
    private static final int GAP = 2;

    private SampleSheet() {
    }

    /** Writes {@code samples} samples (seed {@code seed}) of each of the first {@code rows} layouts to {@code file}. */
    static Path write(Sampler sampler, List<ClassMap> layouts, int rows, int samples, long seed, Path file)
            throws IOException {
        int n = Math.min(rows, layouts.size());
        int w = layouts.get(0).width() * SCALE;
        int h = layouts.get(0).height() * SCALE;
        BufferedImage sheet = new BufferedImage(samples * (w + GAP), n * (h + GAP), BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < n; r++) {
            List<RgbImage> images = sampler.generate(layouts.get(r), samples, seed + r).images();
            for (int c = 0; c < samples; c++) {
                draw(images.get(c), sheet, c * (w + GAP), r * (h + GAP));
            }
        }
        ImageIO.write(sheet, "png", file.toFile());
        return file;
    }

    private static void draw(RgbImage image, BufferedImage sheet, int x0, int y0) {
        byte[] rgb = image.rgb();
        for (int y = 0; y < image.height() * SCALE; y++) {
            for (int x = 0; x < image.width() * SCALE; x++) {
                int o = ((y / SCALE) * image.width() + x / SCALE) * 3;
                sheet.setRGB(x0 + x, y0 + y, (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff));
            }
        }
    }
}
