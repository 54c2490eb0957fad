package io.cimle.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * GTA-5 (Playing for Data): {@code ROOT/labels/NNNNN.png} (palette PNGs holding Cityscapes label ids)
 * with {@code ROOT/images/NNNNN.png}. Some pairs in the public release differ in size: they are
 * reported as SIZE_MISMATCH.
 */
public final class Gta5Dataset extends FolderDataset {
    private final Path root;

    public Gta5Dataset(Path root, DatasetOptions options) {
        super("gta5", LabelSets.CITYSCAPES, LayoutFormat.GTA5, options);
        this.root = root;
    }

    @Override
    Map<String, Path> layouts() throws IOException {
        return index(root.resolve("labels"), 1, ".png");
    }

    @Override
    Map<String, Path> photos() throws IOException {
        return index(root.resolve("images"), 1, ".png");
    }
}
