package io.cimle.core.training.distance;

import java.util.Locale;

/**
 * Weights of the terms of the VGG-19 perceptual distance. The reference divides each layer's mean
 * absolute difference by a per-data-set constant (roughly the layer's typical magnitude) so that no
 * layer dominates; these are the reciprocals.
 *
 * @param pixels weight of the pixel term (RGB, 0..255 minus mean)
 * @param conv12 weight of relu(conv1_2)
 * @param conv22 weight of relu(conv2_2)
 * @param conv32 weight of relu(conv3_2)
 * @param conv42 weight of relu(conv4_2)
 * @param conv52 weight of relu(conv5_2)
 */
public record VggLayerWeights(double pixels, double conv12, double conv22, double conv32, double conv42,
                              double conv52) {

    public VggLayerWeights {
        double[] all = {pixels, conv12, conv22, conv32, conv42, conv52};
        for (int i = 0; i < all.length; i++) {
            if (!(all[i] >= 0) || Double.isInfinite(all[i])) {
                throw new IllegalArgumentException("VGG layer weight #" + i + " must be finite and >= 0, got " + all[i]);
            }
        }
    }

    /** The Conditional IMLE reference code's weights for GTA-5: 1, 1/1.4, 1/1.8, 1/1.3, 1/2.2, 10/0.62. */
    public static VggLayerWeights gta5() {
        return new VggLayerWeights(1.0, 1 / 1.4, 1 / 1.8, 1 / 1.3, 1 / 2.2, 10 / 0.62);
    }

    /** CRN's weights for Cityscapes: 1, 1/2.6, 1/4.8, 1/3.7, 1/5.6, 10/1.5. */
    public static VggLayerWeights cityscapes() {
        return new VggLayerWeights(1.0, 1 / 2.6, 1 / 4.8, 1 / 3.7, 1 / 5.6, 10 / 1.5);
    }

    /** A named preset: {@code gta5} or {@code cityscapes} (case-insensitive). */
    public static VggLayerWeights preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "gta5" -> gta5();
            case "cityscapes" -> cityscapes();
            default -> throw new IllegalArgumentException("unknown VGG layer weight preset '" + name
                    + "'; known: gta5, cityscapes");
        };
    }

    /** Weight of a VGG tap by its name in {@link VggTrunk#VGG19_TO_CONV5_2}. */
    double forTap(String tap) {
        return switch (tap) {
            case "conv1_2" -> conv12;
            case "conv2_2" -> conv22;
            case "conv3_2" -> conv32;
            case "conv4_2" -> conv42;
            case "conv5_2" -> conv52;
            default -> throw new IllegalArgumentException("no weight for VGG tap " + tap);
        };
    }
}
