package io.cimle.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {
    @Test
    void missingPartnerIsReportedAndSkippedOrFails(@TempDir Path dir) throws Exception {
        ToyScenes.writeFolders(dir, 4, 3, 32, 16);
        Files.delete(dir.resolve("images/toy_00001.png"));
        Files.write(dir.resolve("images/orphan.jpg"), Images.encodeJpeg(RgbImage.blank(32, 16), 0.9f));
        Files.write(dir.resolve("labels/toy_00002.png"), new byte[] {1, 2, 3}); // unreadable
        PairedFolderDataset ds = PairedFolderDataset.open(dir, LayoutFormat.CLASS_IDS, DatasetOptions.DEFAULT);
        DatasetReader.Loaded loaded = ds.readAll();
        assertEquals(2, loaded.examples().size());
        assertEquals(5, loaded.report().listed());
        assertEquals(3, loaded.report().skipped().size(), loaded.report().toString());
        String report = loaded.report().skipped().toString();
        assertTrue(report.contains("orphan: MISSING_LAYOUT"), report);
        assertTrue(report.contains("toy_00001: MISSING_PHOTO"), report);
        assertTrue(report.contains("toy_00002: UNREADABLE_LAYOUT"), report);

        PairedFolderDataset failing = PairedFolderDataset.open(dir, LayoutFormat.CLASS_IDS,
                DatasetOptions.DEFAULT.withBadPairs(BadPairPolicy.FAIL));
        DatasetException e = assertThrows(DatasetException.class, failing::readAll);
        assertTrue(e.getMessage().contains("orphan"), e.getMessage());
    }

    @Test
    void sizeMismatchIsReportedAndTargetSizeApplied(@TempDir Path dir) throws Exception {
        ToyScenes.writeFolders(dir, 2, 5, 32, 16);
        Files.write(dir.resolve("images/toy_00001.png"), Images.encodePng(RgbImage.blank(30, 16)));
        DatasetReader.Loaded loaded = PairedFolderDataset.open(dir, LayoutFormat.CLASS_IDS,
                DatasetOptions.DEFAULT.withTarget(16, 8)).readAll();
        assertEquals(1, loaded.examples().size());
        assertEquals(DatasetReport.Problem.SIZE_MISMATCH, loaded.report().skipped().get(0).problem());
        assertTrue(loaded.report().skipped().get(0).detail().contains("32x16 vs photo 30x16"));
        Example ex = loaded.examples().get(0);
        assertEquals(16, ex.layout().width());
        assertEquals(8, ex.photo().height());
    }

    @Test
    void cityscapesGta5AndBddLayoutsAreFound(@TempDir Path dir) throws Exception {
        byte[] photo = Images.encodePng(RgbImage.blank(4, 2));
        byte[] labelIds = LayoutFixtures.grey8(4, 2, new int[] {7, 8, 11, 0, 26, 26, 23, 33});
        Path gt = Files.createDirectories(dir.resolve("cs/gtFine/train/aachen"));
        Path img = Files.createDirectories(dir.resolve("cs/leftImg8bit/train/aachen"));
        Files.write(gt.resolve("aachen_000000_000019_gtFine_labelIds.png"), labelIds);
        Files.write(gt.resolve("aachen_000000_000019_gtFine_color.png"), photo); // ignored by the reader
        Files.write(img.resolve("aachen_000000_000019_leftImg8bit.png"), photo);
        DatasetReader.Loaded cs = new CityscapesDataset(dir.resolve("cs"), "train", DatasetOptions.DEFAULT).readAll();
        assertTrue(cs.report().clean(), cs.report().toString());
        assertEquals("cityscapes/train/aachen/aachen_000000_000019", cs.examples().get(0).id());
        assertEquals(13, cs.examples().get(0).layout().at(0, 1)); // label id 26 = car

        Files.createDirectories(dir.resolve("gta/labels"));
        Files.createDirectories(dir.resolve("gta/images"));
        Files.write(dir.resolve("gta/labels/00001.png"), LayoutFixtures.palette(4, 2, new int[] {7, 7, 7, 7, 23, 23, 0, 0}));
        Files.write(dir.resolve("gta/images/00001.png"), photo);
        DatasetReader.Loaded gta = new Gta5Dataset(dir.resolve("gta"), DatasetOptions.DEFAULT).readAll();
        assertEquals(10, gta.examples().get(0).layout().at(0, 1)); // label id 23 = sky

        Files.createDirectories(dir.resolve("bdd/labels/val"));
        Files.createDirectories(dir.resolve("bdd/images/val"));
        Files.write(dir.resolve("bdd/labels/val/b1c66a42-6f7d68ca_train_id.png"),
                LayoutFixtures.grey8(4, 2, new int[] {0, 1, 2, 255, 255, 13, 13, 10}));
        Files.write(dir.resolve("bdd/images/val/b1c66a42-6f7d68ca.jpg"), Images.encodeJpeg(RgbImage.blank(4, 2), 0.9f));
        DatasetReader.Loaded bdd = new Bdd100kDataset(dir.resolve("bdd"), "val", DatasetOptions.DEFAULT).readAll();
        assertTrue(bdd.report().clean(), bdd.report().toString());
        assertEquals(19, bdd.examples().get(0).layout().at(3, 0));
    }

    @Test
    void cityscapesInstanceMapsTravelWithTheirLayoutsAndBadOnesAreReported(@TempDir Path dir) throws Exception {
        // Cityscapes' own format: label ids, and instance ids (label id x 1000 + k) beside them, 16-bit.
        // Two touching cars on the top row; the second city's map puts a car instance on the road.
        int[] labels = {26, 26, 26, 26, 26, 26, 26, 26, 7, 7, 7, 7, 7, 7, 7, 7};
        int[] instances = {26000, 26000, 26001, 26001, 26000, 26000, 26001, 26001, 7, 7, 7, 7, 7, 7, 7, 7};
        int[] wrong = instances.clone();
        wrong[12] = 26002;
        byte[] photo = Images.encodePng(RgbImage.blank(4, 4));
        for (String city : new String[] {"aachen", "bochum"}) {
            Path gt = Files.createDirectories(dir.resolve("gtFine/train/" + city));
            Path img = Files.createDirectories(dir.resolve("leftImg8bit/train/" + city));
            String stem = city + "_000000_000019";
            Files.write(gt.resolve(stem + "_gtFine_labelIds.png"), LayoutFixtures.grey8(4, 4, labels));
            Files.write(gt.resolve(stem + "_gtFine_instanceIds.png"),
                    LayoutFixtures.grey16(4, 4, city.equals("aachen") ? instances : wrong));
            Files.write(img.resolve(stem + "_leftImg8bit.png"), photo);
        }
        DatasetReader.Loaded cs = new CityscapesDataset(dir, "train", DatasetOptions.DEFAULT).readAll();
        assertEquals(1, cs.examples().size());
        ClassMap layout = cs.examples().get(0).layout();
        assertTrue(layout.hasInstances());
        assertEquals(2, LayoutComponents.of(layout).instancesOf(13).length, "two cars, not one blob");
        DatasetReport.Skipped bad = cs.report().skipped().get(0);
        assertEquals(DatasetReport.Problem.INVALID_INSTANCES, bad.problem());
        assertTrue(bad.detail().contains("x=0, y=3"), bad.detail());

        DatasetReader.Loaded ignored = new CityscapesDataset(dir, "train",
                DatasetOptions.DEFAULT.withInstanceMaps(false)).readAll();
        assertEquals(2, ignored.examples().size(), "without maps both pairs read");
        assertFalse(ignored.examples().get(0).layout().hasInstances());
    }

    @Test
    void pairedFoldersReadTheirOptionalInstanceMaps(@TempDir Path dir) throws Exception {
        ToyScenes.writeFolders(dir, 3, 7, 32, 16, ToyScenes.Variant.INSTANCES);
        Files.delete(dir.resolve("instances/toy_00001.png"));
        List<Example> examples = PairedFolderDataset.open(dir, LayoutFormat.CLASS_IDS,
                DatasetOptions.DEFAULT.withTarget(64, 32)).readAll().examples();
        assertTrue(examples.get(0).layout().hasInstances());
        assertFalse(examples.get(1).layout().hasInstances(), "a pair without a map: connected components");
        assertEquals(64 * 32, examples.get(0).layout().instances().length, "resized with its layout");
    }
}
