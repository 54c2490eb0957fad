package io.cimle.core.data;

import java.util.Objects;

/**
 * How a data set is read.
 *
 * @param limits        size/bomb limits and the target size (layouts nearest, photos area/bilinear);
 *                      default: {@link LayoutLimits#DEFAULT}, no resize
 * @param badPairs      default SKIP: report and go on
 * @param unknownLabels default VOID: unknown ids/colours become void
 * @param instanceMaps  default true: a pair's instance map, where the data set has one, is read with its
 *                      layout (objects are then the given instances, not connected components)
 */
public record DatasetOptions(LayoutLimits limits, BadPairPolicy badPairs, UnknownLabelPolicy unknownLabels,
                             boolean instanceMaps) {
    public static final DatasetOptions DEFAULT = new DatasetOptions(LayoutLimits.DEFAULT, BadPairPolicy.SKIP,
            UnknownLabelPolicy.VOID, true);

    public DatasetOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(badPairs, "badPairs");
        Objects.requireNonNull(unknownLabels, "unknownLabels");
    }

    public DatasetOptions(LayoutLimits limits, BadPairPolicy badPairs, UnknownLabelPolicy unknownLabels) {
        this(limits, badPairs, unknownLabels, true);
    }

    public DatasetOptions withTarget(int width, int height) {
        return new DatasetOptions(limits.withTarget(width, height), badPairs, unknownLabels, instanceMaps);
    }

    public DatasetOptions withBadPairs(BadPairPolicy policy) {
        return new DatasetOptions(limits, policy, unknownLabels, instanceMaps);
    }

    /** Whether instance maps are read (false: every data set's objects are connected components). */
    public DatasetOptions withInstanceMaps(boolean read) {
        return new DatasetOptions(limits, badPairs, unknownLabels, read);
    }
}
