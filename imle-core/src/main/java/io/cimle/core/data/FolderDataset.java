package io.cimle.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Shared pairing and reading for data sets laid out as two folder trees matched by name. */
abstract class FolderDataset implements DatasetReader {
    private final String name;
    private final LabelSet labels;
    private final LayoutFormat format;
    private final DatasetOptions options;
    private final LayoutDecoder decoder;
    private final LayoutLimits nativeLimits;

    FolderDataset(String name, LabelSet labels, LayoutFormat format, DatasetOptions options) {
        this.name = name;
        this.labels = Objects.requireNonNull(labels, "labels");
        this.format = format;
        this.options = Objects.requireNonNull(options, "options");
        // Decode at native size first so the layout/photo size check sees the files as they are.
        this.nativeLimits = options.limits().withTarget(0, 0);
        this.decoder = new LayoutDecoder(labels, format, options.unknownLabels(), nativeLimits);
    }

    /** Layout files by pair name. */
    abstract Map<String, Path> layouts() throws IOException;

    /** Photo files by pair name. */
    abstract Map<String, Path> photos() throws IOException;

    /** Instance map files by pair name; none by default. A pair without one reads as connected components. */
    Map<String, Path> instanceMaps() throws IOException {
        return Map.of();
    }

    /** How this data set's instance maps name objects. */
    InstanceFormat instanceFormat() {
        return InstanceFormat.INSTANCE_IDS;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LabelSet labelSet() {
        return labels;
    }

    public LayoutFormat format() {
        return format;
    }

    @Override
    public DatasetOptions options() {
        return options;
    }

    @Override
    public Listing list() {
        Map<String, Path> layouts;
        Map<String, Path> photos;
        Map<String, Path> instances;
        try {
            layouts = layouts();
            photos = photos();
            instances = options.instanceMaps() ? instanceMaps() : Map.of();
        } catch (IOException | UncheckedIOException e) {
            throw new DatasetException("cannot list data set '" + name + "': " + e.getMessage(), e);
        }
        List<Pair> pairs = new ArrayList<>();
        List<DatasetReport.Skipped> unpaired = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(layouts.keySet());
        names.addAll(photos.keySet());
        for (String n : names) {
            Path l = layouts.get(n);
            Path p = photos.get(n);
            if (l == null) {
                unpaired.add(new DatasetReport.Skipped(n, DatasetReport.Problem.MISSING_LAYOUT, "photo " + p
                        + " has no layout"));
            } else if (p == null) {
                unpaired.add(new DatasetReport.Skipped(n, DatasetReport.Problem.MISSING_PHOTO, "layout " + l
                        + " has no photo"));
            } else {
                pairs.add(new Pair(n, l, p, instances.get(n)));
            }
        }
        return new Listing(pairs, unpaired);
    }

    @Override
    public Example read(Pair pair) {
        ClassMap layout;
        try {
            layout = decoder.decode(Files.readAllBytes(pair.layout()), pair.instances() == null ? null
                    : Files.readAllBytes(pair.instances()), instanceFormat());
        } catch (LayoutException e) {
            throw bad(pair, switch (e.reason()) {
                case UNKNOWN_CLASS -> DatasetReport.Problem.UNKNOWN_CLASS;
                case INSTANCES_INVALID -> DatasetReport.Problem.INVALID_INSTANCES;
                default -> DatasetReport.Problem.UNREADABLE_LAYOUT;
            }, e);
        } catch (IOException e) {
            throw bad(pair, DatasetReport.Problem.UNREADABLE_LAYOUT, e);
        }
        RgbImage photo;
        try {
            photo = Images.decode(Files.readAllBytes(pair.photo()), nativeLimits);
        } catch (ImageException | IOException e) {
            throw bad(pair, DatasetReport.Problem.UNREADABLE_PHOTO, e);
        }
        if (layout.width() != photo.width() || layout.height() != photo.height()) {
            throw new DatasetException(new DatasetReport.Skipped(pair.name(), DatasetReport.Problem.SIZE_MISMATCH,
                    "layout " + layout.width() + "x" + layout.height() + " vs photo " + photo.width() + "x"
                            + photo.height()), null);
        }
        LayoutLimits l = options.limits();
        if (l.resizes()) {
            layout = layout.resizeNearest(l.targetWidth(), l.targetHeight());
            photo = Images.resize(photo, l.targetWidth(), l.targetHeight());
        }
        return new Example(name + "/" + pair.name(), layout, photo);
    }

    private static DatasetException bad(Pair pair, DatasetReport.Problem problem, Exception e) {
        return new DatasetException(new DatasetReport.Skipped(pair.name(), problem, String.valueOf(e.getMessage())), e);
    }

    /**
     * Files under {@code dir} (to {@code depth} levels) whose name ends with one of the suffixes,
     * keyed by their relative path without the suffix. The first suffix wins on a clash.
     */
    static Map<String, Path> index(Path dir, int depth, String... suffixes) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            throw new IOException("folder " + dir + " does not exist");
        }
        try (Stream<Path> s = Files.walk(dir, depth)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                for (int i = 0; i < suffixes.length; i++) {
                    String suffix = suffixes[i];
                    if (rel.toLowerCase(Locale.ROOT).endsWith(suffix)) {
                        String key = rel.substring(0, rel.length() - suffix.length());
                        Path prev = out.get(key);
                        if (prev == null || suffixRank(prev, suffixes) > i) {
                            out.put(key, p);
                        }
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static int suffixRank(Path p, String[] suffixes) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        for (int i = 0; i < suffixes.length; i++) {
            if (n.endsWith(suffixes[i])) {
                return i;
            }
        }
        return suffixes.length;
    }
}
