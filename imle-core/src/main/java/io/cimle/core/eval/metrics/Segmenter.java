package io.cimle.core.eval.metrics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cimle.core.data.RgbImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A semantic segmentation TorchScript: (N, 3, H, W) normalised images in, (N, K, H, W) logits out at
 * the input's size; each pixel's label is the argmax over K.
 */
public final class Segmenter implements PixelClassifier {
    private static final int BATCH = 8;
    private final TorchScriptNetwork network;
    private final InputNormalisation normalisation;

    public Segmenter(TorchScriptNetwork network, InputNormalisation normalisation) {
        this.network = network;
        this.normalisation = normalisation;
    }

    public static Segmenter load(Path file, InputNormalisation normalisation, Device device) {
        return new Segmenter(TorchScriptNetwork.load(file, "segmenter (mIoU)", device), normalisation);
    }

    public TorchScriptNetwork network() {
        return network;
    }

    public InputNormalisation normalisation() {
        return normalisation;
    }

    @Override
    public int[][] predict(List<RgbImage> images) {
        int[][] out = new int[images.size()][];
        for (int start = 0; start < images.size(); start += BATCH) {
            List<RgbImage> batch = images.subList(start, Math.min(images.size(), start + BATCH));
            RgbImage first = batch.get(0);
            try (NDManager scratch = NDManager.newBaseManager(network.device())) {
                NDArray logits = network.forward(input(scratch, batch));
                Shape s = logits.getShape();
                if (s.dimension() != 4 || s.get(0) != batch.size() || s.get(2) != first.height()
                        || s.get(3) != first.width()) {
                    throw new IllegalArgumentException("segmenter " + network.file() + " gave " + s + " for "
                            + batch.size() + " images of " + first.width() + "x" + first.height()
                            + "; expected (N, K, H, W) logits at the input's size");
                }
                int[] labels = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
                int plane = first.width() * first.height();
                for (int i = 0; i < batch.size(); i++) {
                    out[start + i] = Arrays.copyOfRange(labels, i * plane, (i + 1) * plane);
                }
            }
        }
        return out;
    }

    /** Output classes K, read off one forward of a blank image. */
    @Override
    public int outputs(int width, int height) {
        try (NDManager scratch = NDManager.newBaseManager(network.device())) {
            return (int) network.forward(input(scratch, List.of(RgbImage.blank(width, height)))).getShape().get(1);
        }
    }

    private NDArray input(NDManager manager, List<RgbImage> images) {
        RgbImage first = images.get(0);
        int plane = first.width() * first.height();
        float[] data = new float[images.size() * 3 * plane];
        for (int n = 0; n < images.size(); n++) {
            RgbImage image = images.get(n);
            if (image.width() != first.width() || image.height() != first.height()) {
                throw new IllegalArgumentException("images to segment differ in size: " + image.width() + "x"
                        + image.height() + " and " + first.width() + "x" + first.height());
            }
            byte[] rgb = image.rgb();
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    data[(n * 3 + c) * plane + p] = normalisation.apply(rgb[3 * p + c] & 0xff, c);
                }
            }
        }
        return manager.create(data, new Shape(images.size(), 3, first.height(), first.width()));
    }

    @Override
    public String provenance() {
        return network.provenance() + ", input " + normalisation.name();
    }

    @Override
    public void close() {
        network.close();
    }
}
