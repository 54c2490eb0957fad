package io.cimle.core.eval.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * From a segmenter's output classes to the data set's classes: {@code target(k)} is the data set
 * class segmenter class k stands for, or -1 when it has none (a pixel predicted as such a class is
 * wrong wherever it lies, never ignored: ignoring it would reward a segmenter for abstaining).
 */
public final class LabelMapping {
    public static final int NONE = -1;
    private final int[] targets;

    private LabelMapping(int[] targets) {
        this.targets = targets;
    }

    /** Class k to class k: a segmenter trained on the data set's own ids (Cityscapes train ids). */
    public static LabelMapping identity(int classes) {
        int[] t = new int[classes];
        Arrays.setAll(t, i -> i);
        return new LabelMapping(t);
    }

    public static LabelMapping of(int[] targets) {
        return new LabelMapping(targets.clone());
    }

    /**
     * A text file, one "segmenter_class data_set_class" pair a line ('#' starts a comment; a data set
     * class of -1 or "none" maps to nothing). Classes the file does not name map to nothing.
     *
     * @param outputs the segmenter's number of output classes
     */
    public static LabelMapping read(Path file, int outputs, int datasetClasses) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read label mapping " + file, e);
        }
        int[] t = new int[outputs];
        Arrays.fill(t, NONE);
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.replaceAll("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("[\\s,]+");
            try {
                int from = Integer.parseInt(f[0]);
                int to = f.length < 2 || "none".equalsIgnoreCase(f[1]) ? NONE : Integer.parseInt(f[1]);
                if (f.length != 2 || from < 0 || from >= outputs || to < NONE || to >= datasetClasses) {
                    throw new NumberFormatException();
                }
                t[from] = to;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("label mapping " + file + " line " + lineNo + " '" + raw
                        + "': expected 'SEGMENTER_CLASS DATA_SET_CLASS' with 0 <= SEGMENTER_CLASS < " + outputs
                        + " and -1 <= DATA_SET_CLASS < " + datasetClasses);
            }
        }
        return new LabelMapping(t);
    }

    public int outputs() {
        return targets.length;
    }

    public int target(int segmenterClass) {
        return targets[segmenterClass];
    }
}
