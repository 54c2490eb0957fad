package io.cimle.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;

/** {@link ClassMap} -> PNG bytes: ids for machines, colours for people, or a palette PNG for both. */
public final class LayoutEncoder {
    /** Grey value written for void in 8-bit id PNGs (the usual "ignore" value; decoders map it to void). */
    public static final int VOID_ID = 255;

    private LayoutEncoder() {
    }

    /** 8-bit grey PNG of train ids, void = 255 (16-bit with void = channels - 1 above 255 channels). */
    public static byte[] classIdsPng(ClassMap map) {
        int w = map.width();
        int h = map.height();
        boolean wide = map.channels() > 256;
        BufferedImage img = new BufferedImage(w, h, wide ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int id = map.at(x, y);
                row[x] = !wide && id == map.voidChannel() ? VOID_ID : id;
            }
            r.setSamples(0, y, w, 1, 0, row);
        }
        return Images.write(img, "png");
    }

    /** RGB PNG in the label set's colours; void in the first void colour or black. */
    public static byte[] colourPng(ClassMap map, LabelSet labels) {
        return Images.write(colourImage(map, labels).toBufferedImage(), "png");
    }

    /**
     * Palette PNG whose index is the train id (void = 255) and whose palette shows the class colours:
     * viewable as is and decodable as {@link LayoutFormat#CLASS_IDS}.
     */
    public static byte[] palettePng(ClassMap map, LabelSet labels) {
        checkChannels(map, labels);
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < labels.numClasses(); i++) {
            int[] c = labels.colours().get(i);
            r[i] = (byte) c[0];
            g[i] = (byte) c[1];
            b[i] = (byte) c[2];
        }
        int[] v = voidColour(labels);
        r[VOID_ID] = (byte) v[0];
        g[VOID_ID] = (byte) v[1];
        b[VOID_ID] = (byte) v[2];
        BufferedImage img = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, r, g, b));
        WritableRaster raster = img.getRaster();
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                int id = map.at(x, y);
                raster.setSample(x, y, 0, id == map.voidChannel() ? VOID_ID : id);
            }
        }
        return Images.write(img, "png");
    }

    /** The layout drawn in the label set's colours. */
    public static RgbImage colourImage(ClassMap map, LabelSet labels) {
        checkChannels(map, labels);
        RgbImage out = RgbImage.blank(map.width(), map.height());
        int[] v = voidColour(labels);
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                int id = map.at(x, y);
                int[] c = id == map.voidChannel() ? v : labels.colours().get(id);
                out.set(x, y, c[0], c[1], c[2]);
            }
        }
        return out;
    }

    private static int[] voidColour(LabelSet labels) {
        return labels.voidColours().isEmpty() ? new int[] {0, 0, 0} : labels.voidColours().get(0);
    }

    private static void checkChannels(ClassMap map, LabelSet labels) {
        if (map.channels() != labels.channels()) {
            throw new IllegalArgumentException("layout has " + map.channels() + " channels but label set '"
                    + labels.name() + "' has " + labels.channels());
        }
    }
}
