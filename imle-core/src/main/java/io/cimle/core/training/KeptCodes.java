package io.cimle.core.training;

import io.cimle.core.model.LatentCode;
import java.util.List;

/**
 * The codes an epoch's selection kept: per chosen example its seed (with regional selection, its base seed);
 * with regional selection also its donors (per code part, parts inner) and the codes they compose, empty for a
 * flat selection, where the seeds are the codes.
 *
 * @param composedKept how many examples kept their composed code rather than their base, as the regional
 *                     selection that made these counted it; 0 for a flat selection and for codes rebuilt from a
 *                     checkpoint (nothing reads it there)
 */
public record KeptCodes(long[] seeds, long[] donors, List<LatentCode> codes, int composedKept) {
    static final KeptCodes NONE = flat(new long[0]);

    static KeptCodes flat(long[] seeds) {
        return new KeptCodes(seeds, new long[0], List.of(), 0);
    }
}
