package io.cimle.core.eval.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cimle.core.data.RgbImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * FID/KID features: the 2048-d pool3 activations of an Inception TorchScript exported by
 * scripts/export-metric-networks.py. Images go in as pytorch-fid feeds them (8-bit RGB divided by
 * 255 in float32); the file itself resizes to 299x299 (bilinear, align_corners=False) and scales to
 * [-1, 1], so the resize is pytorch-fid's own libtorch call, not a re-implementation (DJL's JNI
 * interpolate would antialias when shrinking, which pytorch-fid does not).
 */
public final class InceptionFeatures implements AutoCloseable {
    /** pool3's width: the only Inception layer FID and KID use. */
    public static final int DIMENSION = 2048;
    private static final int BATCH = 8;

    private final TorchScriptNetwork network;

    public InceptionFeatures(TorchScriptNetwork network) {
        this.network = network;
    }

    public static InceptionFeatures load(Path file, Device device) {
        return new InceptionFeatures(TorchScriptNetwork.load(file, "Inception (FID/KID)", device));
    }

    public TorchScriptNetwork network() {
        return network;
    }

    /** (n, 2048) features, one row per image, in the images' order. */
    public float[][] of(List<RgbImage> images) {
        float[][] out = new float[images.size()][];
        int start = 0;
        while (start < images.size()) {
            RgbImage first = images.get(start);
            int end = start + 1;
            // A batch holds images of one size: a data set of mixed sizes still works, in smaller batches.
            while (end < images.size() && end - start < BATCH && images.get(end).width() == first.width()
                    && images.get(end).height() == first.height()) {
                end++;
            }
            try (NDManager scratch = NDManager.newBaseManager(network.device())) {
                NDArray f = network.forward(unitRange(scratch, images.subList(start, end)));
                Shape s = f.getShape();
                if (s.dimension() != 2 || s.get(1) != DIMENSION || s.get(0) != end - start) {
                    throw new IllegalArgumentException("Inception network " + network.file() + " gave " + s
                            + " for " + (end - start) + " images; expected (n, " + DIMENSION + ")");
                }
                float[] flat = f.toFloatArray();
                for (int i = 0; i < end - start; i++) {
                    out[start + i] = Arrays.copyOfRange(flat, i * DIMENSION, (i + 1) * DIMENSION);
                }
            }
            start = end;
        }
        return out;
    }

    /** (n, 3, H, W) in [0, 1]: each 8-bit value divided by 255 in float32, as torchvision's ToTensor does. */
    static NDArray unitRange(NDManager manager, List<RgbImage> images) {
        RgbImage first = images.get(0);
        int plane = first.width() * first.height();
        float[] data = new float[images.size() * 3 * plane];
        for (int n = 0; n < images.size(); n++) {
            byte[] rgb = images.get(n).rgb();
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    data[(n * 3 + c) * plane + p] = (rgb[3 * p + c] & 0xff) / 255f;
                }
            }
        }
        return manager.create(data, new Shape(images.size(), 3, first.height(), first.width()));
    }

    @Override
    public void close() {
        network.close();
    }
}
