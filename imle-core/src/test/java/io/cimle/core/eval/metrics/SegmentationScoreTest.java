package io.cimle.core.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationScoreTest {

    @Test
    void iouAccuracyAndVoidByHand() {
        // 3 classes; truth 3 is void. Segmenter class 3 maps to nothing.
        int[] truth = {0, 0, 0, 1, 1, 2, 3, 3};
        int[] pred = {0, 0, 1, 1, 3, 2, 0, 1};
        SegmentationScore s = new SegmentationScore(3);
        s.add(truth, pred, LabelMapping.of(new int[] {0, 1, 2, LabelMapping.NONE}));
        SegmentationScore.Result r = s.result();
        // class 0: TP 2, FN 1, FP 0 -> 2/3; class 1: TP 1, FN 1 (missed), FP 1 -> 1/3; class 2: 1.
        assertEquals(2.0 / 3, r.perClass().get(0).iou(), 1e-12);
        assertEquals(1.0 / 3, r.perClass().get(1).iou(), 1e-12);
        assertEquals(1.0, r.perClass().get(2).iou(), 1e-12);
        assertEquals((2.0 / 3 + 1.0 / 3 + 1) / 3, r.meanIou(), 1e-12);
        assertEquals(4.0 / 6, r.pixelAccuracy(), 1e-12, "void pixels are not counted");
        assertEquals((2.0 / 3 + 0.5 + 1) / 3, r.meanAccuracy(), 1e-12);
        assertEquals(6, r.labelledPixels());
    }

    @Test
    void aClassNeitherPresentNorPredictedDoesNotCount() {
        SegmentationScore s = new SegmentationScore(4);
        s.add(new int[] {0, 1}, new int[] {0, 1}, LabelMapping.identity(4));
        assertEquals(1.0, s.result().meanIou(), 1e-12);
        assertTrue(Double.isNaN(s.result().perClass().get(3).iou()));
    }

    @Test
    void readsAMappingFileAndNamesABadLine(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("map.txt");
        Files.writeString(ok, "# segmenter -> data set\n0 2\n1 none\n2, 0\n");
        LabelMapping m = LabelMapping.read(ok, 4, 3);
        assertEquals(2, m.target(0));
        assertEquals(LabelMapping.NONE, m.target(1));
        assertEquals(0, m.target(2));
        assertEquals(LabelMapping.NONE, m.target(3), "a class the file does not name maps to nothing");
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "0 2\n7 1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelMapping.read(bad, 4, 3));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
