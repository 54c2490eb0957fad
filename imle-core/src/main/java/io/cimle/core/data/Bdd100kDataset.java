package io.cimle.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** BDD100K: {@code ROOT/labels/SPLIT/X_train_id.png} (train ids, 255 = void) with {@code ROOT/images/SPLIT/X.jpg}. */
public final class Bdd100kDataset extends FolderDataset {
    private final Path root;
    private final String split;

    public Bdd100kDataset(Path root, String split, DatasetOptions options) {
        super("bdd100k/" + split, LabelSets.CITYSCAPES, LayoutFormat.BDD100K, options);
        this.root = root;
        this.split = split;
    }

    @Override
    Map<String, Path> layouts() throws IOException {
        return index(root.resolve("labels").resolve(split), 1, "_train_id.png");
    }

    @Override
    Map<String, Path> photos() throws IOException {
        return index(root.resolve("images").resolve(split), 1, ".jpg", ".jpeg", ".png");
    }
}
