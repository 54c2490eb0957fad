package io.cimle.generator;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.LatentCode;
import io.cimle.wire.v1.ImageFormat;
import java.util.List;

/**
 * A validated request, ready to run: the layout at the model's size and one code per sample, or, for a
 * style reference, the search that finds its codes (run by the batcher as a pass of its own: planning
 * never runs the network).
 *
 * @param interpolationTs position in [0, 1] of each frame for interpolation requests, else null
 * @param style           the style search to run first, else null
 */
public record PlannedRequest(String requestId, ClassMap layout, List<LatentCode> codes, float[] interpolationTs,
        ImageFormat format, int jpegQuality, boolean omitCodes, long receivedAtMs, StyleQuery style) {

    /** Find the {@code n} codes whose samples of {@code layout} come nearest {@code photo} among {@code candidates}. */
    public record StyleQuery(ClassMap layout, RgbImage photo, int candidates, long seed, int n) {
    }

    /** Samples the request asks for. */
    public int size() {
        return style != null ? style.n() : codes.size();
    }

    /** This request with its codes found (a style search done). */
    public PlannedRequest withCodes(List<LatentCode> found) {
        return new PlannedRequest(requestId, layout, List.copyOf(found), interpolationTs, format, jpegQuality, omitCodes,
                receivedAtMs, null);
    }
}
