package io.cimle.core.data;

import java.util.Objects;

/**
 * How a data set is read.
 *
 * @param limits        size/bomb limits and the target size (layouts nearest, photos area/bilinear);
 *                      default: {@link LayoutLimits#DEFAULT}, no resize
 * @param badPairs      default SKIP: report and go on
 * @param unknownLabels default VOID: unknown ids/colours become void
 */
public record DatasetOptions(LayoutLimits limits, BadPairPolicy badPairs, UnknownLabelPolicy unknownLabels) {
    public static final DatasetOptions DEFAULT = new DatasetOptions(LayoutLimits.DEFAULT, BadPairPolicy.SKIP,
            UnknownLabelPolicy.VOID);

    public DatasetOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(badPairs, "badPairs");
        Objects.requireNonNull(unknownLabels, "unknownLabels");
    }

    public DatasetOptions withTarget(int width, int height) {
        return new DatasetOptions(limits.withTarget(width, height), badPairs, unknownLabels);
    }

    public DatasetOptions withBadPairs(BadPairPolicy policy) {
        return new DatasetOptions(limits, policy, unknownLabels);
    }
}
