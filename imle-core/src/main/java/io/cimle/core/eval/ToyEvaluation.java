package io.cimle.core.eval;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.Sampler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Runs a generator on held-out toy layouts and measures {@link ModeCoverage} and diversity. */
public final class ToyEvaluation {
    private ToyEvaluation() {
    }

    /**
     * @param samplesPerLayout n samples per layout (>= 2 for diversity), codes from {@code seed}
     * @param zeroNoise        feed zero codes, as a REGRESSION-trained model saw in training
     */
    public static EvalReport evaluate(String name, Sampler sampler, List<ClassMap> layouts, int samplesPerLayout,
                                      ModeCoverage coverage, PairwiseDiversity diversity, long seed,
                                      boolean zeroNoise) {
        return evaluate(name, sampler, layouts, null, samplesPerLayout, coverage, diversity, seed, zeroNoise);
    }

    /** The same on instance scenes: {@code instances.get(i)} are layout i's (null where none). */
    public static EvalReport evaluate(String name, Sampler sampler, List<ClassMap> layouts,
                                      List<ToyScenes.Instances> instances, int samplesPerLayout, ModeCoverage coverage,
                                      PairwiseDiversity diversity, long seed, boolean zeroNoise) {
        if (samplesPerLayout < 2) {
            throw new IllegalArgumentException("need at least 2 samples per layout for diversity, got "
                    + samplesPerLayout);
        }
        return evaluate(name, layouts, instances, draw(sampler, layouts, samplesPerLayout, seed, zeroNoise), coverage,
                diversity, seed);
    }

    /** n samples for every layout, layout i's codes from {@code seed + i} (zero codes with {@code zeroNoise}). */
    public static List<List<RgbImage>> draw(Sampler sampler, List<ClassMap> layouts, int n, long seed,
                                            boolean zeroNoise) {
        List<List<RgbImage>> samples = new ArrayList<>(layouts.size());
        for (int i = 0; i < layouts.size(); i++) {
            samples.add(zeroNoise ? sampler.generate(layouts.get(i), zeroCodes(sampler, n)).images()
                    : sampler.generate(layouts.get(i), n, seed + i).images());
        }
        return samples;
    }

    /** The same report for samples made elsewhere (e.g. received from generator-service over Kafka). */
    public static EvalReport evaluate(String name, List<ClassMap> layouts, List<List<RgbImage>> samples,
                                      ModeCoverage coverage, PairwiseDiversity diversity, long seed) {
        return evaluate(name, layouts, null, samples, coverage, diversity, seed);
    }

    /** The same with the layouts' instances (instance scenes; null without). */
    public static EvalReport evaluate(String name, List<ClassMap> layouts, List<ToyScenes.Instances> instances,
                                      List<List<RgbImage>> samples, ModeCoverage coverage, PairwiseDiversity diversity,
                                      long seed) {
        ModeCoverage.Result modes = coverage.measure(layouts, instances, samples);
        DiversityResult div = diversity.measureImages(samples, seed);
        return new EvalReport(name, modes.layouts(), modes.samplesPerLayout(), modes.coverage(), modes.frequencyDistance(),
                modes.fidelity(), div.mean(), div.metric(), modes.factorCoverage(), modes.regionFidelity(),
                modes.classFidelity(), modes.instanceCoverage(), modes.independence());
    }

    private static List<LatentCode> zeroCodes(Sampler sampler, int n) {
        int[] shape = LatentCodes.shapeFor(sampler.config());
        LatentCode zero = LatentCode.ofValues(new float[LatentCode.fromSeed(0, shape).size()], shape);
        return Collections.nCopies(n, zero);
    }
}
