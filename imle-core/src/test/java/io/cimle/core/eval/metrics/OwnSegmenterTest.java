package io.cimle.core.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cimle.core.data.DatasetOptions;
import io.cimle.core.data.Example;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.PairedFolderDataset;
import io.cimle.core.data.RgbImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The own segmenter learns the rendered streets' labels and its file gives back the same predictions. */
class OwnSegmenterTest {

    @Test
    void learnsTheRenderedStreetsAndRoundTripsThroughItsFile(@TempDir Path dir) {
        Path root = MetricsEqualityTest.projectRoot().resolve("data/rendered-streets/64x32");
        List<Example> train = PairedFolderDataset.open(root.resolve("train"), LayoutFormat.CLASS_IDS,
                DatasetOptions.DEFAULT).readAll().examples().subList(0, 96);
        List<Example> heldOut = PairedFolderDataset.open(root.resolve("held-out"), LayoutFormat.CLASS_IDS,
                DatasetOptions.DEFAULT).readAll().examples();
        List<RgbImage> photos = heldOut.stream().map(Example::photo).toList();
        Path file = dir.resolve("segmenter.bin");
        int[][] before;
        double miou;
        try (OwnSegmenter s = OwnSegmenter.train(train.stream().map(Example::photo).toList(),
                train.stream().map(Example::layout).toList(), 6, 1, Device.cpu(), e -> { })) {
            before = s.predict(photos);
            s.save(file);
            SegmentationScore score = new SegmentationScore(heldOut.get(0).layout().channels() - 1);
            for (int i = 0; i < heldOut.size(); i++) {
                score.add(heldOut.get(i).layout().ids(), before[i], LabelMapping.identity(19));
            }
            SegmentationScore.Result r = score.result();
            miou = r.meanIou();
            System.out.printf("[metrics] own segmenter after 6 epochs on 96 renders: held-out mIoU %.3f, pixel accuracy "
                    + "%.3f%n", r.meanIou(), r.pixelAccuracy());
            // A constant guess (the commonest class everywhere) scores about 0.3 pixel accuracy here.
            assertTrue(r.pixelAccuracy() > 0.6, "pixel accuracy " + r.pixelAccuracy());
        }
        assertTrue(OwnSegmenter.isOwn(file));
        try (PixelClassifier loaded = PixelClassifier.load(file, InputNormalisation.UNIT, Device.cpu())) {
            int[][] after = loaded.predict(photos);
            for (int i = 0; i < after.length; i++) {
                assertArrayEquals(before[i], after[i], "image " + i + " after the round trip (mIoU " + miou + ")");
            }
        }
    }
}
