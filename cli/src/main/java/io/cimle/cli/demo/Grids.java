package io.cimle.cli.demo;

import io.cimle.core.data.RgbImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Tiles images into one PNG, enlarged with nearest neighbour so small samples stay crisp. */
final class Grids {
    private Grids() {
    }

    static BufferedImage tile(List<RgbImage> images, int columns, int scale, int gap) {
        int w = images.get(0).width() * scale;
        int h = images.get(0).height() * scale;
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage out = new BufferedImage(columns * w + (columns + 1) * gap, rows * h + (rows + 1) * gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(0x1b2027));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        for (int i = 0; i < images.size(); i++) {
            int x = gap + (i % columns) * (w + gap);
            int y = gap + (i / columns) * (h + gap);
            g.drawImage(images.get(i).toBufferedImage(), x, y, w, h, null);
        }
        g.dispose();
        return out;
    }

    static void write(BufferedImage image, Path file) throws IOException {
        ImageIO.write(image, "png", file.toFile());
    }

    static void write(RgbImage image, int scale, Path file) throws IOException {
        write(tile(List.of(image), 1, scale, 0), file);
    }
}
