package io.cimle.core.eval.metrics;

import java.util.Locale;

/**
 * How a segmenter wants its pixels: 8-bit values over {@code divisor} (in float32, as torchvision's ToTensor divides), then per channel minus
 * {@code mean} over {@code std}. Segmenters differ here (torchvision's ImageNet statistics, [-1, 1],
 * raw 0..255), and a wrong guess silently ruins mIoU, so the choice is explicit.
 */
public record InputNormalisation(String name, float divisor, float[] mean, float[] std) {
    /** [0, 1]: what the project's own segmenter and the random test segmenter take. */
    public static final InputNormalisation UNIT = new InputNormalisation("unit", 255f, new float[] {0, 0, 0},
            new float[] {1, 1, 1});
    /** torchvision's ImageNet models: [0, 1] minus (.485, .456, .406) over (.229, .224, .225). */
    public static final InputNormalisation IMAGENET = new InputNormalisation("imagenet", 255f,
            new float[] {.485f, .456f, .406f}, new float[] {.229f, .224f, .225f});
    /** [-1, 1]. */
    public static final InputNormalisation SIGNED = new InputNormalisation("signed", 255f,
            new float[] {.5f, .5f, .5f}, new float[] {.5f, .5f, .5f});
    /** Raw 0..255. */
    public static final InputNormalisation BYTES = new InputNormalisation("bytes", 1f, new float[] {0, 0, 0},
            new float[] {1, 1, 1});

    /** "unit", "imagenet", "signed" or "bytes". */
    public static InputNormalisation parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "unit" -> UNIT;
            case "imagenet" -> IMAGENET;
            case "signed" -> SIGNED;
            case "bytes" -> BYTES;
            default -> throw new IllegalArgumentException("unknown segmenter input normalisation '" + name
                    + "': use unit ([0, 1]), imagenet, signed ([-1, 1]) or bytes (0..255)");
        };
    }

    float apply(int value, int channel) {
        return (value / divisor - mean[channel]) / std[channel];
    }
}
