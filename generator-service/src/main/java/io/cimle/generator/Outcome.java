package io.cimle.generator;

import io.cimle.wire.v1.ErrorCode;
import java.util.List;

/**
 * How one request ended, whichever front end it came through: its samples, or a coded error. Each front end
 * turns it into its reply (Kafka: one record per sample or an error reply and a dead letter; REST: JSON).
 */
public sealed interface Outcome {
    /**
     * The samples of {@code request} (its codes final: a style reference's found codes), encoded in its format.
     *
     * @param pass            the forward pass that made them, numbered per process (requests with the same number shared it)
     * @param passStartedAtMs when that pass began, epoch ms
     */
    record Samples(PlannedRequest request, List<EncodedImage> images, String modelVersion, long modelMs, long pass,
                   long passStartedAtMs) implements Outcome {
    }

    /** The request cannot be served: its error code and a sentence. */
    record Failed(ErrorCode code, String message) implements Outcome {
    }

    static Failed failed(ErrorCode code, String message) {
        return new Failed(code, message);
    }
}
