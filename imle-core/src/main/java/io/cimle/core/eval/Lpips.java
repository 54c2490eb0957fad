package io.cimle.core.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cimle.core.eval.metrics.ContentHash;
import io.cimle.core.training.distance.NpzWeights;
import io.cimle.core.training.distance.VggTrunk;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LPIPS (VGG-16 variant) from user-supplied weights, the paper's diversity metric. Inputs in
 * [-1, 1]; fixed scaling layer; relu1_2, relu2_2, relu3_3, relu4_3, relu5_3 features, each
 * unit-normalised over channels; squared difference; non-negative 1x1 channel weights; spatial
 * mean; sum over layers.
 *
 * <p>The {@code .npz} holds torchvision VGG-16 {@code features.<i>.weight/bias} (i up to 28) and the
 * LPIPS repo's linear layers {@code lin0.model.1.weight} .. {@code lin4.model.1.weight}, shapes
 * (1, C, 1, 1). Export, e.g.:
 *
 * <pre>
 * import numpy as np, torch, torchvision
 * f = torchvision.models.vgg16(weights="IMAGENET1K_V1").features.state_dict()
 * lin = torch.load("lpips/weights/v0.1/vgg.pth", map_location="cpu")
 * d = {"features." + k: v.numpy() for k, v in f.items() if int(k.split(".")[0]) <= 28}
 * d.update({k: v.numpy() for k, v in lin.items()})
 * np.savez("lpips_vgg.npz", **d)
 * </pre>
 */
public final class Lpips implements ImageMetric, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lpips.class);
    private static final float[] SHIFT = {-.030f, -.088f, -.188f};
    private static final float[] SCALE = {.458f, .448f, .450f};
    private static final int[] CHANNELS = {64, 128, 256, 512, 512};

    private final NDManager manager;
    private final VggTrunk trunk;
    private final List<NDArray> lin = new ArrayList<>(); // each (1, C, 1, 1), >= 0
    private final NDArray shift; // (1, 3, 1, 1)
    private final NDArray scale; // (1, 3, 1, 1)
    private final Path file;
    private final String sha256;

    private Lpips(NDManager manager, VggTrunk trunk, Path file) {
        this.manager = manager;
        this.trunk = trunk;
        this.file = file;
        this.sha256 = ContentHash.ofFile(file);
        this.shift = manager.create(SHIFT).reshape(1, 3, 1, 1);
        this.scale = manager.create(SCALE).reshape(1, 3, 1, 1);
    }

    /**
     * @throws IllegalArgumentException if the file or a tensor is missing or has a wrong shape
     */
    public static Lpips load(Path npz, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        try (NDManager reading = manager.newSubManager()) {
            NpzWeights w = NpzWeights.load(npz, "LPIPS weights", reading);
            Lpips lpips = new Lpips(manager,
                    VggTrunk.from(w, VggTrunk.VGG16_TO_CONV5_3, VggTrunk.Pooling.MAX, manager), npz);
            for (int k = 0; k < CHANNELS.length; k++) {
                String key = "lin" + k + ".model.1.weight";
                NDArray l = w.require(key, new Shape(1, CHANNELS[k], 1, 1));
                if (l.lt(0f).any().getBoolean()) {
                    // LPIPS clamps these at training time; a negative value means a foreign file.
                    LOG.warn("LPIPS weights {}: '{}' has negative entries, clamping them to 0", npz, key);
                    l = l.maximum(0f);
                }
                l.attach(manager);
                lpips.lin.add(l);
            }
            return lpips;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public String name() {
        // The file's hash, not only its name: numbers from different weights must not pass for each other.
        return "LPIPS (VGG-16, weights " + file.getFileName() + " sha256 " + sha256.substring(0, 12) + ")";
    }

    @Override
    public NDArray distance(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape()) || a.getShape().dimension() != 4 || a.getShape().get(1) != 3) {
            throw new IllegalArgumentException("LPIPS needs two (N, 3, H, W) batches of one shape, got "
                    + a.getShape() + " and " + b.getShape());
        }
        List<VggTrunk.Tap> fa = trunk.forward(a.sub(shift).div(scale));
        List<VggTrunk.Tap> fb = trunk.forward(b.sub(shift).div(scale));
        NDArray total = null;
        for (int k = 0; k < fa.size(); k++) {
            NDArray diff = unit(fa.get(k).features()).sub(unit(fb.get(k).features())).square(); // (N, C, h, w)
            NDArray weighted = diff.mul(lin.get(k)).sum(new int[] {1}); // (N, h, w)
            NDArray layer = weighted.reshape(weighted.getShape().get(0), -1).mean(new int[] {1}); // (N,)
            total = total == null ? layer : total.add(layer);
        }
        return total;
    }

    /** Unit length over channels, with LPIPS's epsilon. */
    private static NDArray unit(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).sqrt().add(1e-10f)); // (N, C, h, w)
    }

    @Override
    public void close() {
        manager.close();
    }
}
