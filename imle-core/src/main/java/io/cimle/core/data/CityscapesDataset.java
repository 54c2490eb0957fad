package io.cimle.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Cityscapes: {@code ROOT/gtFine/SPLIT/CITY/X_gtFine_labelIds.png} with
 * {@code ROOT/leftImg8bit/SPLIT/CITY/X_leftImg8bit.png}; label ids mapped to the 19 train classes. The
 * instance maps beside the labels ({@code X_gtFine_instanceIds.png}) are read where present.
 */
public final class CityscapesDataset extends FolderDataset {
    private final Path root;
    private final String split;

    public CityscapesDataset(Path root, String split, DatasetOptions options) {
        super("cityscapes/" + split, LabelSets.CITYSCAPES, LayoutFormat.CITYSCAPES_LABEL_IDS, options);
        this.root = root;
        this.split = split;
    }

    @Override
    Map<String, Path> layouts() throws IOException {
        return index(root.resolve("gtFine").resolve(split), 2, "_gtfine_labelids.png");
    }

    @Override
    Map<String, Path> instanceMaps() throws IOException {
        return index(root.resolve("gtFine").resolve(split), 2, "_gtfine_instanceids.png");
    }

    @Override
    InstanceFormat instanceFormat() {
        return InstanceFormat.CITYSCAPES_INSTANCE_IDS;
    }

    @Override
    Map<String, Path> photos() throws IOException {
        return index(root.resolve("leftImg8bit").resolve(split), 2, "_leftimg8bit.png");
    }
}
