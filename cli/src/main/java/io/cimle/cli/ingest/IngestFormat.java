package io.cimle.cli.ingest;

import io.cimle.core.data.Bdd100kDataset;
import io.cimle.core.data.CityscapesDataset;
import io.cimle.core.data.DatasetOptions;
import io.cimle.core.data.DatasetReader;
import io.cimle.core.data.Gta5Dataset;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.PairedFolderDataset;
import java.nio.file.Path;
import java.util.Locale;

/** The data set layouts {@code cimle ingest} reads, each through the existing reader. */
public enum IngestFormat {
    /** {@code gtFine/SPLIT/CITY/*_gtFine_labelIds.png} with {@code leftImg8bit/SPLIT/CITY/*_leftImg8bit.png}. */
    CITYSCAPES,
    /** {@code labels/NNNNN.png} with {@code images/NNNNN.png}. */
    GTA5,
    /** {@code labels/SPLIT/*_train_id.png} with {@code images/SPLIT/*.jpg}. */
    BDD100K,
    /** {@code labels/NAME.png}, {@code images/NAME.png|jpg} and {@code classes.json}. */
    FOLDERS;

    public DatasetReader open(Path root, String split, LayoutFormat folderLayouts, DatasetOptions options) {
        return switch (this) {
            case CITYSCAPES -> new CityscapesDataset(root, split, options);
            case GTA5 -> new Gta5Dataset(root, options);
            case BDD100K -> new Bdd100kDataset(root, split, options);
            case FOLDERS -> PairedFolderDataset.open(root, folderLayouts, options);
        };
    }

    /** The dataset name records carry when none is given: the format, or the folder's name. */
    public String defaultDatasetName(Path root) {
        if (this == FOLDERS) {
            Path name = root.toAbsolutePath().normalize().getFileName();
            return name == null ? "folders" : name.toString();
        }
        return name().toLowerCase(Locale.ROOT);
    }
}
