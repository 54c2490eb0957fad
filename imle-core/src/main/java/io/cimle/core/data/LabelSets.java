package io.cimle.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Built-in label sets and a registry for user palettes. */
public final class LabelSets {
    /** Cityscapes label id (index 0..33) -> train id 0..18, or -1 for ignored ids. */
    static final int[] CITYSCAPES_ID_TO_TRAIN = new int[34];

    /** Colours of the Cityscapes label ids that are not train classes (they decode to void). */
    private static final int[][] CITYSCAPES_IGNORED_COLOURS = {
            {0, 0, 0}, {111, 74, 0}, {81, 0, 81}, {250, 170, 160}, {230, 150, 140}, {180, 165, 180},
            {150, 100, 100}, {150, 120, 90}, {0, 0, 90}, {0, 0, 110}};

    static {
        Arrays.fill(CITYSCAPES_ID_TO_TRAIN, -1);
        int[] trainIds = {7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33};
        for (int t = 0; t < trainIds.length; t++) {
            CITYSCAPES_ID_TO_TRAIN[trainIds[t]] = t;
        }
    }

    public static final LabelSet CITYSCAPES = new LabelSet("cityscapes",
            List.of("road", "sidewalk", "building", "wall", "fence", "pole", "traffic light", "traffic sign",
                    "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus", "train",
                    "motorcycle", "bicycle"),
            List.of(new int[] {128, 64, 128}, new int[] {244, 35, 232}, new int[] {70, 70, 70},
                    new int[] {102, 102, 156}, new int[] {190, 153, 153}, new int[] {153, 153, 153},
                    new int[] {250, 170, 30}, new int[] {220, 220, 0}, new int[] {107, 142, 35},
                    new int[] {152, 251, 152}, new int[] {70, 130, 180}, new int[] {220, 20, 60},
                    new int[] {255, 0, 0}, new int[] {0, 0, 142}, new int[] {0, 0, 70}, new int[] {0, 60, 100},
                    new int[] {0, 80, 100}, new int[] {0, 0, 230}, new int[] {119, 11, 32}),
            List.of(CITYSCAPES_IGNORED_COLOURS));

    /** The classes of {@link ToyScenes}; display colours borrowed from Cityscapes where they exist. */
    public static final LabelSet TOY_SCENES = new LabelSet("toy-scenes",
            List.of("sky", "road", "sidewalk", "building", "vegetation", "car"),
            List.of(new int[] {70, 130, 180}, new int[] {128, 64, 128}, new int[] {244, 35, 232},
                    new int[] {70, 70, 70}, new int[] {107, 142, 35}, new int[] {0, 0, 142}),
            List.of(new int[] {0, 0, 0}));

    private static final Map<String, LabelSet> REGISTRY = new ConcurrentHashMap<>();

    static {
        REGISTRY.put(CITYSCAPES.name(), CITYSCAPES);
        REGISTRY.put(TOY_SCENES.name(), TOY_SCENES);
    }

    private LabelSets() {
    }

    /** The label set of that name; the message lists the valid names otherwise. */
    public static LabelSet byName(String name) {
        LabelSet s = name == null ? null : REGISTRY.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown label set '" + name + "'; valid names: " + names());
        }
        return s;
    }

    /** Adds a user palette; a different set under a taken name is refused. */
    public static LabelSet register(LabelSet set) {
        LabelSet prev = REGISTRY.putIfAbsent(set.name(), set);
        if (prev != null && !prev.equals(set)) {
            throw new IllegalArgumentException("label set name '" + set.name() + "' is already taken by a different set");
        }
        return set;
    }

    public static List<String> names() {
        return new ArrayList<>(new TreeMap<>(REGISTRY).keySet());
    }
}
