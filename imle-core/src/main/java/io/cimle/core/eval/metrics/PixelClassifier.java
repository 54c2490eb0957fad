package io.cimle.core.eval.metrics;

import ai.djl.Device;
import io.cimle.core.data.RgbImage;
import java.nio.file.Path;
import java.util.List;

/** What mIoU needs of a segmenter: a class per pixel, and which weights said so. */
public interface PixelClassifier extends AutoCloseable {

    /** Per image, its pixels' classes (the classifier's own), row-major. */
    int[][] predict(List<RgbImage> images);

    /** The classifier's number of output classes. */
    int outputs(int width, int height);

    /** File and hash of the weights, for reports. */
    String provenance();

    @Override
    void close();

    /** The project's own segmenter file (train-segmenter) or else a TorchScript one. */
    static PixelClassifier load(Path file, InputNormalisation normalisation, Device device) {
        return OwnSegmenter.isOwn(file) ? OwnSegmenter.load(file, device) : Segmenter.load(file, normalisation, device);
    }
}
