package io.cimle.core.training.distance;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the configured {@link Distance} and logs which one is in use. */
public final class Distances {
    private static final Logger LOG = LoggerFactory.getLogger(Distances.class);

    private Distances() {}

    /** On the default device. */
    public static Distance create(DistanceConfig config) {
        try (NDManager m = NDManager.newBaseManager()) {
            return create(config, m.getDevice());
        }
    }

    /**
     * @throws IllegalArgumentException if VGG19 is asked for without a weights file, or the file is
     *     missing or malformed
     */
    public static Distance create(DistanceConfig config, Device device) {
        Distance d = switch (config.kind()) {
            case PYRAMID_L1 -> new PyramidL1Distance(config.pyramidLevels(), config.pyramidLevelWeights(),
                    config.laplacianWeight());
            case VGG19 -> {
                if (config.vggWeightsPath() == null || config.vggWeightsPath().isBlank()) {
                    throw new IllegalArgumentException("distance VGG19 needs vggWeightsPath: a .npz of torchvision's "
                            + "ImageNet VGG-19 conv weights exported as docs/method.md shows (nothing is downloaded); "
                            + "or use kind PYRAMID_L1, which needs no pretrained weights");
                }
                yield Vgg19PerceptualDistance.load(Path.of(config.vggWeightsPath()),
                        VggLayerWeights.preset(config.vggLayerWeights()), device);
            }
        };
        LOG.info("distance L: {}", d.describe());
        return d;
    }
}
