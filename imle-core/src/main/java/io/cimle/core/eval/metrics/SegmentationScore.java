package io.cimle.core.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * mIoU and pixel accuracy from a confusion matrix over the data set's classes, the Cityscapes way:
 * void pixels of the ground truth are ignored; per class IoU = TP / (TP + FP + FN) and accuracy =
 * TP / (TP + FN); means over the classes the ground truth or the prediction holds (a class absent
 * from both has no IoU and does not count). A prediction of a class with no data set class
 * ({@link LabelMapping#NONE}) counts as a miss.
 */
public final class SegmentationScore {
    private final int classes;
    private final long[][] confusion; // [truth][predicted]
    private final long[] missed; // per truth class: pixels predicted as a class mapping to nothing

    public SegmentationScore(int classes) {
        this.classes = classes;
        this.confusion = new long[classes][classes];
        this.missed = new long[classes];
    }

    /** One per class: its name, IoU and accuracy (NaN where the class never occurs). */
    public record ClassScore(int id, double iou, double accuracy, long pixels) {}

    /** The scores and means. */
    public record Result(List<ClassScore> perClass, double meanIou, double pixelAccuracy, double meanAccuracy,
                         long labelledPixels) {
        public String describe(List<String> names) {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "mIoU %.4f, pixel accuracy %.4f, mean class accuracy %.4f over %d labelled pixels%n", meanIou,
                    pixelAccuracy, meanAccuracy, labelledPixels));
            out.append("| class | IoU | accuracy | pixels |\n|---|---|---|---|\n");
            for (ClassScore c : perClass) {
                if (!Double.isNaN(c.iou())) {
                    out.append(String.format(Locale.ROOT, "| %s | %.4f | %s | %d |%n",
                            c.id() < names.size() ? names.get(c.id()) : "#" + c.id(), c.iou(),
                            Double.isNaN(c.accuracy()) ? "-" : String.format(Locale.ROOT, "%.4f", c.accuracy()),
                            c.pixels()));
                }
            }
            return out.toString();
        }
    }

    /**
     * @param truth data set class per pixel; values outside [0, classes) are void and ignored
     * @param predicted segmenter class per pixel, mapped through {@code mapping}
     */
    public void add(int[] truth, int[] predicted, LabelMapping mapping) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("label map has " + truth.length + " pixels, prediction "
                    + predicted.length);
        }
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            if (t < 0 || t >= classes) {
                continue;
            }
            int p = mapping.target(predicted[i]);
            if (p == LabelMapping.NONE) {
                missed[t]++;
            } else {
                confusion[t][p]++;
            }
        }
    }

    public Result result() {
        List<ClassScore> out = new ArrayList<>();
        long correct = 0;
        long labelled = 0;
        double iouSum = 0;
        int iouCount = 0;
        double accSum = 0;
        int accCount = 0;
        for (int c = 0; c < classes; c++) {
            long tp = confusion[c][c];
            long truthPixels = missed[c];
            long predictedPixels = 0;
            for (int k = 0; k < classes; k++) {
                truthPixels += confusion[c][k];
                predictedPixels += confusion[k][c];
            }
            long union = truthPixels + predictedPixels - tp;
            double iou = union == 0 ? Double.NaN : (double) tp / union;
            double acc = truthPixels == 0 ? Double.NaN : (double) tp / truthPixels;
            if (!Double.isNaN(iou)) {
                iouSum += iou;
                iouCount++;
            }
            if (!Double.isNaN(acc)) {
                accSum += acc;
                accCount++;
            }
            correct += tp;
            labelled += truthPixels;
            out.add(new ClassScore(c, iou, acc, truthPixels));
        }
        return new Result(out, iouCount == 0 ? Double.NaN : iouSum / iouCount,
                labelled == 0 ? Double.NaN : (double) correct / labelled, accCount == 0 ? Double.NaN : accSum / accCount,
                labelled);
    }
}
