package io.cimle.generator;

import io.cimle.core.data.Images;
import io.cimle.core.data.RgbImage;
import io.cimle.wire.v1.ImageFormat;

/**
 * A sample's image in its request's format, and how long encoding took. Made by the {@link MicroBatcher},
 * carried by {@link Outcome.Samples}, sent by each front end ({@link Replies} for Kafka, {@link GenerateResource}).
 */
public record EncodedImage(byte[] bytes, int width, int height, long encodeMs) {
    /** Encodes one sample (thread-safe: a pass's samples are encoded on all cores). */
    public static EncodedImage of(PlannedRequest request, RgbImage image) {
        long e0 = System.nanoTime();
        byte[] encoded = request.format() == ImageFormat.JPEG
                ? Images.encodeJpeg(image, request.jpegQuality() / 100f) : Images.encodePng(image);
        return new EncodedImage(encoded, image.width(), image.height(), (System.nanoTime() - e0) / 1_000_000);
    }
}
