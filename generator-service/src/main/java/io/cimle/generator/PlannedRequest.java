package io.cimle.generator;

import io.cimle.core.data.ClassMap;
import io.cimle.core.model.LatentCode;
import io.cimle.wire.v1.ImageFormat;
import java.util.List;

/**
 * A validated request, ready to run: the layout at the model's size and one code per sample.
 *
 * @param interpolationTs position in [0, 1] of each frame for interpolation requests, else null
 */
public record PlannedRequest(String requestId, ClassMap layout, List<LatentCode> codes, float[] interpolationTs,
        ImageFormat format, int jpegQuality, boolean omitCodes, long receivedAtMs) {

    public int size() {
        return codes.size();
    }
}
