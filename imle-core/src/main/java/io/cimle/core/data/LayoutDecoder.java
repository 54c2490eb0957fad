package io.cimle.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Layout PNG bytes -> {@link ClassMap} for one label set and {@link LayoutFormat}. Thread-safe.
 * The header is checked against {@link LayoutLimits} before pixels are decoded; the result is
 * resized (nearest) to the limits' target size if one is set.
 */
public final class LayoutDecoder {
    /** A value the label set does not know: its first position (row-major scan) and pixel count. */
    public record UnknownValue(String value, int x, int y, int count) {
    }

    /** A decoded layout with the unknown values that went to void (empty under REJECT). */
    public record Decoded(ClassMap map, List<UnknownValue> unknown) {
    }

    private final LabelSet labels;
    private final LayoutFormat format;
    private final UnknownLabelPolicy policy;
    private final LayoutLimits limits;
    /** Raw single-channel value -> channel, -1 = unknown; for every format but COLORS. */
    private final int[] idTable;
    private final Map<Integer, Integer> colourTable;

    public LayoutDecoder(LabelSet labels, LayoutFormat format, UnknownLabelPolicy policy, LayoutLimits limits) {
        this.labels = Objects.requireNonNull(labels, "labels");
        this.format = Objects.requireNonNull(format, "format");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limits = Objects.requireNonNull(limits, "limits");
        boolean cityscapesIds = format == LayoutFormat.CITYSCAPES_LABEL_IDS || format == LayoutFormat.GTA5
                || format == LayoutFormat.BDD100K;
        if (cityscapesIds && labels.numClasses() != 19) {
            throw new IllegalArgumentException("format " + format + " yields the 19 Cityscapes train classes, but label set '"
                    + labels.name() + "' has " + labels.numClasses());
        }
        this.idTable = idTable(labels, format);
        this.colourTable = labels.colourIndex();
    }

    public LayoutDecoder(LabelSet labels, LayoutFormat format) {
        this(labels, format, UnknownLabelPolicy.VOID, LayoutLimits.DEFAULT);
    }

    public ClassMap decode(byte[] png) {
        return decodeWithReport(png).map();
    }

    /**
     * The layout with its instance map attached ({@link InstanceMaps#attach}), both checked at their native
     * size and then resized together; {@code instancePng} null or empty: no instance map.
     */
    public ClassMap decode(byte[] png, byte[] instancePng, InstanceFormat instanceFormat) {
        ClassMap map = decodeNative(png).map();
        if (instancePng != null && instancePng.length > 0) {
            map = InstanceMaps.attach(map, instancePng, instanceFormat, limits);
        }
        return toTarget(map);
    }

    public Decoded decodeWithReport(byte[] png) {
        Decoded d = decodeNative(png);
        return new Decoded(toTarget(d.map()), d.unknown());
    }

    /** Resized (nearest) to the limits' target size where one is set. */
    private ClassMap toTarget(ClassMap map) {
        return limits.resizes() ? map.resizeNearest(limits.targetWidth(), limits.targetHeight()) : map;
    }

    private Decoded decodeNative(byte[] png) {
        BufferedImage image;
        try {
            SafeImageIO.Decoded d = SafeImageIO.read(png, limits, "layout");
            if (!d.format().equals("png")) {
                throw new LayoutException(LayoutException.Reason.UNDECODABLE,
                        "layout is " + d.format() + "; layouts must be PNG (lossy formats blur class boundaries)");
            }
            image = d.image();
        } catch (ImageException e) {
            throw new LayoutException(switch (e.reason()) {
                case UNDECODABLE -> LayoutException.Reason.UNDECODABLE;
                case WRONG_SIZE -> LayoutException.Reason.WRONG_SIZE;
                case TOO_LARGE -> LayoutException.Reason.TOO_LARGE;
            }, e.getMessage(), e);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] ids = new int[w * h];
        Unknowns unknowns = new Unknowns();
        Raster raster = image.getRaster();
        boolean indexed = image.getColorModel() instanceof IndexColorModel;
        int bands = raster.getNumBands();
        if (format == LayoutFormat.COLORS || (format == LayoutFormat.GTA5 && !indexed && bands >= 3)) {
            decodeColours(image, ids, unknowns);
        } else if (indexed || bands <= 2) {
            // Palette index or grey (band 0; band 1 would be alpha): the raw value, never the colour.
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    ids[y * w + x] = mapId(row[x], x, y, unknowns);
                }
            }
        } else {
            decodeGreyAsRgb(image, ids, unknowns);
        }
        if (policy == UnknownLabelPolicy.REJECT && !unknowns.map.isEmpty()) {
            UnknownValue first = unknowns.list().get(0);
            int others = unknowns.map.size() - 1;
            throw new LayoutException(LayoutException.Reason.UNKNOWN_CLASS, "layout (" + format + ", label set '"
                    + labels.name() + "') has unknown " + first.value() + " at x=" + first.x() + ", y=" + first.y()
                    + " (" + first.count() + " pixels)" + (others > 0 ? " and " + others + " other unknown values" : "")
                    + "; " + validValues());
        }
        return new Decoded(new ClassMap(w, h, labels.channels(), ids), unknowns.list());
    }

    private void decodeColours(BufferedImage image, int[] ids, Unknowns unknowns) {
        int w = image.getWidth();
        int[] row = new int[w];
        int lastRgb = -1;
        int lastId = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = row[x] & 0xffffff;
                if (rgb != lastRgb) {
                    Integer id = colourTable.get(rgb);
                    lastRgb = rgb;
                    lastId = id == null ? -1 : id;
                }
                if (lastId >= 0) {
                    ids[y * w + x] = lastId;
                } else {
                    unknowns.add("colour " + LabelSet.rgbString(rgb), x, y);
                    ids[y * w + x] = labels.voidChannel();
                }
            }
        }
    }

    /** Ids saved as RGB with r = g = b (some tools do that); real colour there is an error. */
    private void decodeGreyAsRgb(BufferedImage image, int[] ids, Unknowns unknowns) {
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int[] px = new int[raster.getNumBands()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x, y, px);
                if (px[0] != px[1] || px[1] != px[2]) {
                    throw new LayoutException(LayoutException.Reason.UNDECODABLE, "format " + format
                            + " expects a single-channel (grey or palette) PNG, but this one is RGB with colour ("
                            + px[0] + "," + px[1] + "," + px[2] + ") at x=" + x + ", y=" + y
                            + "; use format COLORS for colour layouts");
                }
                ids[y * w + x] = mapId(px[0], x, y, unknowns);
            }
        }
    }

    private int mapId(int value, int x, int y, Unknowns unknowns) {
        int id = value < idTable.length ? idTable[value] : -1;
        if (id >= 0) {
            return id;
        }
        unknowns.add((format == LayoutFormat.CITYSCAPES_LABEL_IDS || format == LayoutFormat.GTA5 ? "label id "
                : "class id ") + value, x, y);
        return labels.voidChannel();
    }

    private String validValues() {
        return switch (format) {
            case CLASS_IDS -> "valid ids: 0.." + (labels.numClasses() - 1) + " (classes), " + labels.numClasses()
                    + " or 255 (void)";
            case COLORS -> "valid colours: the " + labels.numClasses() + " class colours of '" + labels.name() + "'"
                    + (labels.voidColours().isEmpty() ? "" : " and its void colours");
            case CITYSCAPES_LABEL_IDS, GTA5 -> "valid Cityscapes label ids: 0..33";
            case BDD100K -> "valid ids: 0..18 and 255 (void)";
        };
    }

    private static int[] idTable(LabelSet labels, LayoutFormat format) {
        int[] t = new int[256];
        Arrays.fill(t, -1);
        int v = labels.voidChannel();
        switch (format) {
            case CLASS_IDS -> {
                for (int i = 0; i < labels.numClasses(); i++) {
                    t[i] = i;
                }
                t[labels.numClasses()] = v;
                t[255] = v;
            }
            case CITYSCAPES_LABEL_IDS, GTA5 -> {
                for (int id = 0; id < LabelSets.CITYSCAPES_ID_TO_TRAIN.length; id++) {
                    int train = LabelSets.CITYSCAPES_ID_TO_TRAIN[id];
                    t[id] = train >= 0 ? train : v;
                }
            }
            case BDD100K -> {
                for (int i = 0; i < 19; i++) {
                    t[i] = i;
                }
                t[255] = v;
            }
            case COLORS -> {
            }
        }
        return t;
    }

    /** Unknown values in order of first appearance; bounded so hostile input cannot grow it. */
    private static final class Unknowns {
        private static final int MAX_DISTINCT = 1024;
        final Map<String, int[]> map = new LinkedHashMap<>();
        int overflow;

        void add(String value, int x, int y) {
            int[] e = map.get(value);
            if (e != null) {
                e[2]++;
            } else if (map.size() < MAX_DISTINCT) {
                map.put(value, new int[] {x, y, 1});
            } else {
                overflow++;
            }
        }

        List<UnknownValue> list() {
            List<UnknownValue> out = new ArrayList<>(map.size());
            map.forEach((k, e) -> out.add(new UnknownValue(k, e[0], e[1], e[2])));
            return out;
        }
    }
}
