package io.cimle.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The classes a model knows, with one display colour each. A layout built on this set has
 * {@link #channels()} = classes + 1 channels, the last being void/other.
 *
 * @param name        registry name, e.g. "cityscapes"
 * @param classNames  class names in train-id order (index = train id)
 * @param colours     one {r, g, b} per class (same order); used to decode colour layouts and to draw them
 * @param voidColours colours that are known to mean "ignore" (e.g. Cityscapes' unlabelled black):
 *                    they decode to void without counting as unknown. May be empty.
 */
public record LabelSet(String name, List<String> classNames, List<int[]> colours, List<int[]> voidColours) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public LabelSet {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("label set name must not be blank");
        }
        classNames = List.copyOf(classNames);
        colours = copyColours(colours, "colour");
        voidColours = copyColours(voidColours, "void colour");
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("label set '" + name + "' has no classes");
        }
        if (classNames.size() != colours.size()) {
            throw new IllegalArgumentException("label set '" + name + "' has " + classNames.size()
                    + " class names but " + colours.size() + " colours");
        }
        if (classNames.size() > 254) {
            // Ids are written as 8-bit grey with 255 for void; more classes would need 16 bits everywhere.
            throw new IllegalArgumentException("label set '" + name + "' has " + classNames.size()
                    + " classes; at most 254 are supported");
        }
        Set<String> names = new HashSet<>();
        Map<Integer, String> byColour = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            String n = classNames.get(i);
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("label set '" + name + "': class " + i + " has no name");
            }
            if (!names.add(n)) {
                throw new IllegalArgumentException("label set '" + name + "': duplicate class name '" + n + "'");
            }
            String other = byColour.put(packRgb(colours.get(i)), n);
            if (other != null) {
                throw new IllegalArgumentException("label set '" + name + "': classes '" + other + "' and '" + n
                        + "' share the colour " + rgbString(colours.get(i)));
            }
        }
        for (int[] c : voidColours) {
            String other = byColour.get(packRgb(c));
            if (other != null) {
                throw new IllegalArgumentException("label set '" + name + "': void colour " + rgbString(c)
                        + " is also the colour of class '" + other + "'");
            }
        }
    }

    public LabelSet(String name, List<String> classNames, List<int[]> colours) {
        this(name, classNames, colours, List.of());
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Classes plus the void/other channel. */
    public int channels() {
        return classNames.size() + 1;
    }

    public int voidChannel() {
        return classNames.size();
    }

    /** Train id of a class name, or -1. */
    public int indexOf(String className) {
        return classNames.indexOf(className);
    }

    /** Name of a channel; the last one is "void". */
    public String channelName(int channel) {
        return channel == voidChannel() ? "void" : classNames.get(channel);
    }

    /** Packed 0xRRGGBB -> train id; void colours map to {@link #voidChannel()}. */
    public Map<Integer, Integer> colourIndex() {
        Map<Integer, Integer> m = new HashMap<>();
        for (int[] c : voidColours) {
            m.put(packRgb(c), voidChannel());
        }
        for (int i = 0; i < colours.size(); i++) {
            m.put(packRgb(colours.get(i)), i);
        }
        return m;
    }

    /**
     * Parses a user palette: {@code {"name": "...", "classes": [{"name": "road", "color": [128, 64, 128]}, ...],
     * "void": [[0, 0, 0]]}} ("void" optional; "colour" accepted for "color").
     */
    public static LabelSet fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("palette JSON is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("palette JSON must be an object with \"name\" and \"classes\"");
        }
        String name = root.path("name").asText("");
        if (name.isBlank()) {
            throw new IllegalArgumentException("palette JSON needs a non-empty \"name\"");
        }
        JsonNode classes = root.path("classes");
        if (!classes.isArray() || classes.isEmpty()) {
            throw new IllegalArgumentException("palette '" + name + "' needs a non-empty \"classes\" array");
        }
        List<String> names = new ArrayList<>();
        List<int[]> colours = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            JsonNode c = classes.get(i);
            String n = c.path("name").asText("");
            if (n.isBlank()) {
                throw new IllegalArgumentException("palette '" + name + "': classes[" + i + "] has no \"name\"");
            }
            JsonNode col = c.has("color") ? c.get("color") : c.get("colour");
            names.add(n);
            colours.add(parseRgb(col, "palette '" + name + "': class '" + n + "' colour"));
        }
        List<int[]> voids = new ArrayList<>();
        JsonNode v = root.path("void");
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                voids.add(parseRgb(v.get(i), "palette '" + name + "': void[" + i + "]"));
            }
        }
        return new LabelSet(name, names, colours, voids);
    }

    /** The JSON {@link #fromJson} reads. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", name);
        ArrayNode classes = root.putArray("classes");
        for (int i = 0; i < classNames.size(); i++) {
            ObjectNode c = classes.addObject();
            c.put("name", classNames.get(i));
            ArrayNode col = c.putArray("color");
            for (int v : colours.get(i)) {
                col.add(v);
            }
        }
        if (!voidColours.isEmpty()) {
            ArrayNode v = root.putArray("void");
            for (int[] c : voidColours) {
                ArrayNode col = v.addArray();
                for (int x : c) {
                    col.add(x);
                }
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int packRgb(int[] c) {
        return (c[0] & 0xff) << 16 | (c[1] & 0xff) << 8 | (c[2] & 0xff);
    }

    static String rgbString(int[] c) {
        return "(" + c[0] + "," + c[1] + "," + c[2] + ")";
    }

    static String rgbString(int packed) {
        return "(" + (packed >> 16 & 0xff) + "," + (packed >> 8 & 0xff) + "," + (packed & 0xff) + ")";
    }

    private static int[] parseRgb(JsonNode col, String what) {
        if (col == null || !col.isArray() || col.size() != 3) {
            throw new IllegalArgumentException(what + " must be an array of 3 integers 0..255, got " + col);
        }
        int[] rgb = new int[3];
        for (int k = 0; k < 3; k++) {
            JsonNode x = col.get(k);
            if (!x.isIntegralNumber() || x.asInt() < 0 || x.asInt() > 255) {
                throw new IllegalArgumentException(what + " must be an array of 3 integers 0..255, got " + col);
            }
            rgb[k] = x.asInt();
        }
        return rgb;
    }

    private static List<int[]> copyColours(List<int[]> in, String what) {
        Objects.requireNonNull(in, what + "s");
        List<int[]> out = new ArrayList<>(in.size());
        for (int[] c : in) {
            if (c == null || c.length != 3) {
                throw new IllegalArgumentException("each " + what + " must have 3 components");
            }
            for (int v : c) {
                if (v < 0 || v > 255) {
                    throw new IllegalArgumentException(what + " component " + v + " is outside 0..255");
                }
            }
            out.add(c.clone());
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LabelSet l) || !l.name.equals(name) || !l.classNames.equals(classNames)
                || l.colours.size() != colours.size() || l.voidColours.size() != voidColours.size()) {
            return false;
        }
        for (int i = 0; i < colours.size(); i++) {
            if (packRgb(colours.get(i)) != packRgb(l.colours.get(i))) {
                return false;
            }
        }
        for (int i = 0; i < voidColours.size(); i++) {
            if (packRgb(voidColours.get(i)) != packRgb(l.voidColours.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, classNames);
    }

    @Override
    public String toString() {
        return "LabelSet[" + name + ", " + classNames.size() + " classes]";
    }
}
