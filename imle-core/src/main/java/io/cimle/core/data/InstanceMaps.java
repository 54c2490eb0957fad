package io.cimle.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Instance map PNG bytes <-> a layout's {@link ClassMap#instances()}: decoded against the layout they
 * describe (same size; each instance on a class that can hold one), so a map that contradicts its layout is
 * refused with {@link LayoutException.Reason#INSTANCES_INVALID} rather than silently splitting classes.
 */
public final class InstanceMaps {
    /** Cityscapes label ids whose objects have instance numbers ({@code hasInstances} in its label list). */
    private static final Set<Integer> CITYSCAPES_THINGS = Set.of(24, 25, 26, 27, 28, 29, 30, 31, 32, 33);

    private InstanceMaps() {
    }

    /**
     * {@code layout} with the instance map {@code png} attached. The layout must be at the map's native size
     * (decode both before resizing). Void pixels never hold an instance: a value there is dropped, as void
     * is where unknown labels land.
     */
    public static ClassMap attach(ClassMap layout, byte[] png, InstanceFormat format, LayoutLimits limits) {
        BufferedImage image;
        try {
            SafeImageIO.Decoded d = SafeImageIO.read(png, limits.withTarget(0, 0), "instance map");
            if (!d.format().equals("png")) {
                throw invalid("instance map is " + d.format() + "; instance maps must be PNG (a lossy format invents ids)");
            }
            image = d.image();
        } catch (ImageException e) {
            throw new LayoutException(LayoutException.Reason.INSTANCES_INVALID, e.getMessage(), e);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        if (w != layout.width() || h != layout.height()) {
            throw invalid("instance map is " + w + "x" + h + ", its layout " + layout.width() + "x" + layout.height());
        }
        Raster raster = image.getRaster();
        // Grey saved as RGB(A) with r = g = b (a browser canvas saves nothing else) reads as its grey value.
        boolean rgb = raster.getNumBands() > 2 && !(image.getColorModel() instanceof IndexColorModel);
        int[] values = new int[w * h];
        int[] row = new int[w];
        int[] px = new int[raster.getNumBands()];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row); // the stored value, never a gamma-mapped grey
            for (int x = 0; x < w; x++) {
                if (rgb) {
                    raster.getPixel(x, y, px);
                    if (px[0] != px[1] || px[1] != px[2]) {
                        throw invalid("instance map has colour (" + px[0] + "," + px[1] + "," + px[2] + ") at x=" + x
                                + ", y=" + y + "; it must be a single-channel (grey or palette) PNG of ids");
                    }
                }
                values[y * w + x] = instanceAt(row[x], layout, x, y, format);
            }
        }
        return layout.withInstances(values);
    }

    private static int instanceAt(int value, ClassMap layout, int x, int y, InstanceFormat format) {
        int c = layout.at(x, y);
        if (format == InstanceFormat.CITYSCAPES_INSTANCE_IDS) {
            if (value < 1000) {
                return 0;
            }
            int label = value / 1000;
            if (!CITYSCAPES_THINGS.contains(label)) {
                throw invalid("instance id " + value + " at x=" + x + ", y=" + y + " names label id " + label
                        + ", which has no instances in Cityscapes (only label ids 24..33 do)");
            }
            int train = LabelSets.CITYSCAPES_ID_TO_TRAIN[label];
            if (train < 0 || c == layout.voidChannel()) {
                return 0; // caravan and trailer are void among the train classes
            }
            if (train != c) {
                throw invalid("instance id " + value + " at x=" + x + ", y=" + y + " is of label id " + label
                        + " (train class " + train + "), but the layout has class " + c + " there");
            }
            return value;
        }
        return c == layout.voidChannel() ? 0 : value;
    }

    /**
     * The layout's instance map as a 16-bit grey PNG in {@link InstanceFormat#INSTANCE_IDS} (0 = none): the
     * form pairs keep in the trainer's store and ingest sends. Values above 65535 are renumbered in order of
     * first appearance, which keeps every object apart.
     */
    public static byte[] png(ClassMap layout) {
        int[] values = layout.instances();
        if (values == null) {
            throw new IllegalArgumentException("the layout has no instance map");
        }
        int[] stored = fitsSixteenBits(values) ? values : renumbered(values);
        int w = layout.width();
        BufferedImage img = new BufferedImage(w, layout.height(), BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < layout.height(); y++) {
            r.setSamples(0, y, w, 1, 0, Arrays.copyOfRange(stored, y * w, (y + 1) * w));
        }
        return Images.write(img, "png");
    }

    private static boolean fitsSixteenBits(int[] values) {
        for (int v : values) {
            if (v > 0xffff) {
                return false;
            }
        }
        return true;
    }

    private static int[] renumbered(int[] values) {
        Map<Integer, Integer> next = new HashMap<>();
        int[] out = new int[values.length];
        for (int p = 0; p < values.length; p++) {
            out[p] = values[p] == 0 ? 0 : next.computeIfAbsent(values[p], v -> next.size() + 1);
        }
        if (next.size() > 0xffff) {
            throw new IllegalArgumentException("more than 65535 instances in one layout");
        }
        return out;
    }

    private static LayoutException invalid(String message) {
        return new LayoutException(LayoutException.Reason.INSTANCES_INVALID, message);
    }
}
