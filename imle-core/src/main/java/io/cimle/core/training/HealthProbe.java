package io.cimle.core.training;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.Sampler;
import java.util.ArrayList;
import java.util.List;

/**
 * The cheap measurement behind {@link ModelHealth}: a few fixed layouts, each sampled with the
 * same few fixed codes, in one no-grad forward. Its codes come from their own seed, not the
 * trainer's stream, so measuring changes nothing about the run.
 */
final class HealthProbe {
    static final int LAYOUTS = 4;
    static final int CODES = 4;
    private static final long SALT = 0x4EA1_7B0B_E5C0_DE5EL;

    private final List<ClassMap> layouts = new ArrayList<>();
    private final List<LatentCode> codes = new ArrayList<>();

    /** Probes spread evenly over {@code candidates} (at most {@link #LAYOUTS}). */
    HealthProbe(List<ClassMap> candidates, GeneratorNetwork network, long seed) {
        int n = Math.min(LAYOUTS, candidates.size());
        for (int i = 0; i < n; i++) {
            ClassMap layout = candidates.get(i * candidates.size() / n);
            for (int c = 0; c < CODES; c++) {
                layouts.add(layout);
                codes.add(LatentCodes.sample(network.config(), seed ^ SALT, c));
            }
        }
    }

    /** Mean over probe layouts and pairs of codes of the mean absolute pixel difference, in [0, 1]. */
    double codeSpread(GeneratorNetwork network) {
        List<RgbImage> images;
        try (Sampler sampler = Sampler.wrap(network, layouts.size())) {
            images = sampler.sample(layouts, codes).images();
        }
        double sum = 0;
        int pairs = 0;
        for (int start = 0; start < images.size(); start += CODES) {
            for (int a = start; a < start + CODES; a++) {
                for (int b = a + 1; b < start + CODES; b++) {
                    sum += images.get(a).meanAbsDifference(images.get(b));
                    pairs++;
                }
            }
        }
        return sum / pairs;
    }
}
