package io.cimle.core.training.distance;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's perceptual distance: VGG-19 with average pooling instead of max pooling (smoother
 * gradients, as in CRN), fed RGB in 0..255 minus the ImageNet mean (no std division, as the
 * reference TF code). Terms: the pixels and the ReLU outputs after conv1_2, conv2_2, conv3_2,
 * conv4_2 and conv5_2, each a masked mean absolute difference weighted by {@link VggLayerWeights}.
 *
 * <p>Weights come from a {@code .npz} with torchvision key names ({@code features.0.weight}, ...,
 * {@code features.30.bias}). torchvision's network expects {@code (x/255 - mean)/std}; this class
 * feeds {@code x - 255*mean}, so export with torchvision's std folded into conv1_1 (divide
 * {@code features.0.weight[:, c]} by {@code 255 * std[c]}), which makes both agree:
 *
 * <pre>
 * import numpy as np, torch, torchvision
 * f = torchvision.models.vgg19(weights="IMAGENET1K_V1").features
 * sd = {k: v.numpy() for k, v in f.state_dict().items() if int(k.split(".")[0]) <= 30}
 * std = np.array([0.229, 0.224, 0.225], dtype=np.float32)
 * sd["0.weight"] = sd["0.weight"] / (255 * std)[None, :, None, None]
 * np.savez("vgg19_features.npz", **{"features." + k: v for k, v in sd.items()})
 * </pre>
 *
 * <p>The network is frozen: gradients flow to the input images only. Inputs smaller than 16 px per
 * side skip the deeper layers (with a warning) instead of failing.
 */
public final class Vgg19PerceptualDistance extends FeatureTermDistance {
    private static final float[] IMAGENET_MEAN_RGB = {123.68f, 116.779f, 103.939f};

    private final NDManager manager;
    private final VggTrunk trunk;
    private final NDArray mean; // (1, 3, 1, 1)
    private final VggLayerWeights layerWeights;
    private final Path weightsFile;

    private Vgg19PerceptualDistance(NDManager manager, VggTrunk trunk, VggLayerWeights layerWeights, Path file) {
        this.manager = manager;
        this.trunk = trunk;
        this.layerWeights = layerWeights;
        this.weightsFile = file;
        this.mean = manager.create(IMAGENET_MEAN_RGB).reshape(1, 3, 1, 1);
    }

    /**
     * Loads the conv weights up to conv5_2 from {@code npz} onto {@code device}.
     *
     * @throws IllegalArgumentException if the file is missing, a tensor is missing or has a wrong
     *     shape (the message names the key, the expected and the actual shape)
     */
    public static Vgg19PerceptualDistance load(Path npz, VggLayerWeights layerWeights, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        try (NDManager reading = manager.newSubManager()) {
            NpzWeights file = NpzWeights.load(npz, "VGG-19 weights", reading);
            VggTrunk trunk = VggTrunk.from(file, VggTrunk.VGG19_TO_CONV5_2, VggTrunk.Pooling.AVERAGE, manager);
            return new Vgg19PerceptualDistance(manager, trunk, layerWeights, npz);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    protected List<Term> terms(NDArray images) {
        NDArray x = images.sub(mean); // (N, 3, H, W), RGB minus ImageNet mean
        List<Term> terms = new ArrayList<>();
        terms.add(new Term("pixels", x, 0, layerWeights.pixels()));
        for (VggTrunk.Tap tap : trunk.forward(x)) {
            terms.add(new Term(tap.name(), tap.features(), tap.scale(), layerWeights.forTap(tap.name())));
        }
        return terms;
    }

    /** The frozen network's tensors (for tests). */
    List<NDArray> parameters() {
        return trunk.parameters();
    }

    @Override
    public String describe() {
        return "VGG-19 perceptual L1 (average pooling, RGB minus ImageNet mean; weights " + weightsFile
                + "; layer weights " + layerWeights + ")";
    }

    @Override
    public void close() {
        manager.close();
    }
}
