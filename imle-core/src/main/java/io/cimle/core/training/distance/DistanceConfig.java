package io.cimle.core.training.distance;

import java.util.List;
import java.util.Objects;

/**
 * Which distance L to train and select with.
 *
 * @param kind PYRAMID_L1 (default: needs no pretrained weights) or VGG19 (the reference's
 *     perceptual distance; needs {@code vggWeightsPath})
 * @param vggWeightsPath .npz of torchvision VGG-19 conv weights (see {@link Vgg19PerceptualDistance});
 *     null when not using VGG19
 * @param vggLayerWeights preset name of the VGG term weights: "gta5" (default, the reference's) or
 *     "cityscapes" (CRN's)
 * @param pyramidLevels average-pooled levels of the pyramid L1 (default 4, down to 1/16 scale)
 * @param pyramidLevelWeights pyramidLevels + 1 weights, full resolution first; null = all 1 (the default is
 *     {@link PyramidL1Distance#DEFAULT_LEVEL_WEIGHTS})
 * @param laplacianWeight factor of the pyramid's Laplacian band terms (default 1; 0 = off)
 */
public record DistanceConfig(Kind kind, String vggWeightsPath, String vggLayerWeights, int pyramidLevels,
                             List<Double> pyramidLevelWeights, double laplacianWeight) {

    public enum Kind { PYRAMID_L1, VGG19 }

    public DistanceConfig {
        Objects.requireNonNull(kind, "distance kind (PYRAMID_L1 or VGG19)");
        vggLayerWeights = vggLayerWeights == null ? "gta5" : vggLayerWeights;
        VggLayerWeights.preset(vggLayerWeights); // fails early on an unknown name
        pyramidLevelWeights = pyramidLevelWeights == null ? null : List.copyOf(pyramidLevelWeights);
        // Checks levels, level weights and the Laplacian weight with the same messages as at use.
        new PyramidL1Distance(pyramidLevels, pyramidLevelWeights, laplacianWeight);
    }

    /** Pyramid L1 with 4 levels, each weighing half the finer one, and Laplacian bands: needs no download. */
    public static DistanceConfig defaults() {
        return new DistanceConfig(Kind.PYRAMID_L1, null, "gta5", 4, PyramidL1Distance.DEFAULT_LEVEL_WEIGHTS, 1.0);
    }

    /** The reference's VGG-19 distance with the given weights file and layer-weight preset. */
    public static DistanceConfig vgg19(String weightsPath, String preset) {
        return new DistanceConfig(Kind.VGG19, weightsPath, preset, 4, null, 1.0);
    }
}
