package io.cimle.core.eval;

import ai.djl.Device;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Example;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.ToyScenes.Scene;
import io.cimle.core.model.Sampler;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.core.training.Baseline;
import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.ImleTrainer;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.PyramidL1Distance;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The method's point at a tiny size: IMLE covers the modes a regression baseline averages away. */
class ModeCoverageAcceptanceTest {
    static final int SAMPLES = 10;

    @Test
    void imleCoversMoreModesThanRegression() {
        List<Example> train = ToyModeData.scenes(32, 16, 48, 1, ToyModeData.timesOfDay()).stream()
                .map(Scene::example).toList();
        List<ClassMap> heldOut = ToyModeData.scenes(32, 16, 8, 2, ToyModeData.timesOfDay()).stream()
                .map(Scene::layout).toList();
        ModeCoverage coverage = new ModeCoverage(new HashSet<>(ToyModeData.timesOfDay()), 20.0);
        ImleConfig budget = ImleConfig.DEFAULT.withExamplesPerEpoch(48).withSamplesPerExample(8)
                .withStepsPerEpoch(100).withSubBatch(8).withEpochs(4).withLearningRate(2e-3).withDecay(0, false)
                .withRebalancing(false, false).withSelectionBatch(64).withSeed(3);
        EvalReport imle = run(Baseline.IMLE, budget, train, heldOut, coverage);
        EvalReport regression = run(Baseline.REGRESSION, budget, train, heldOut, coverage);
        System.out.println(EvalReport.markdownHeader() + "\n" + imle.markdownRow() + "\n" + regression.markdownRow());
        // The least covered factor: a collapsed factor shows there, not in a mean.
        assertTrue(imle.minFactorCoverage() >= regression.minFactorCoverage() + 0.3,
                "IMLE per-factor coverage " + imle.factorCoverage() + " vs regression " + regression.factorCoverage());
        assertTrue(imle.coverage() >= regression.coverage() + 0.3,
                "IMLE coverage " + imle.coverage() + " vs regression " + regression.coverage());
    }

    static EvalReport run(Baseline baseline, ImleConfig budget, List<Example> train, List<ClassMap> heldOut,
                          ModeCoverage coverage) {
        ModelConfig model = baseline.apply(Presets.tiny(LabelSets.TOY_SCENES.channels()));
        try (GeneratorNetwork net = GeneratorNetwork.create(model, Device.cpu(), 11);
             Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, d, train, null, baseline.apply(budget))) {
            trainer.train();
            Sampler sampler = Sampler.wrap(net, 16);
            return ToyEvaluation.evaluate(baseline.name(), sampler, heldOut, SAMPLES, coverage,
                    new PairwiseDiversity(new MeanAbsPixelMetric(), 20), 5, baseline == Baseline.REGRESSION);
        }
    }
}
