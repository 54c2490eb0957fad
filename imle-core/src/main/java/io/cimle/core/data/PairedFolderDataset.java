package io.cimle.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ROOT/labels/NAME.png} with {@code ROOT/images/NAME.png|jpg|jpeg}, and optionally
 * {@code ROOT/instances/NAME.png} ({@link InstanceFormat#INSTANCE_IDS}: which object each pixel belongs to).
 * The label set is given, or read from {@code ROOT/classes.json} (the palette format of {@link LabelSet#fromJson}).
 */
public final class PairedFolderDataset extends FolderDataset {
    private final Path root;

    public PairedFolderDataset(Path root, LabelSet labels, LayoutFormat format, DatasetOptions options) {
        super(root.getFileName() == null ? "dataset" : root.getFileName().toString(), labels, format, options);
        this.root = root;
    }

    /** With the label set from {@code ROOT/classes.json}. */
    public static PairedFolderDataset open(Path root, LayoutFormat format, DatasetOptions options) {
        Path json = root.resolve("classes.json");
        if (!Files.isRegularFile(json)) {
            throw new DatasetException("data set " + root + " has no classes.json; pass a label set instead", null);
        }
        try {
            return new PairedFolderDataset(root, LabelSet.fromJson(Files.readString(json)), format, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(json + ": " + e.getMessage(), e);
        }
    }

    @Override
    Map<String, Path> layouts() throws IOException {
        return index(root.resolve("labels"), 1, ".png");
    }

    @Override
    Map<String, Path> instanceMaps() throws IOException {
        Path dir = root.resolve("instances");
        return Files.isDirectory(dir) ? index(dir, 1, ".png") : Map.of();
    }

    @Override
    Map<String, Path> photos() throws IOException {
        return index(root.resolve("images"), 1, ".png", ".jpg", ".jpeg");
    }
}
