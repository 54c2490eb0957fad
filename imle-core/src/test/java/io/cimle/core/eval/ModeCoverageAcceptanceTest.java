package io.cimle.core.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cimle.core.data.Example;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.ToyScenes.Scene;
import io.cimle.core.model.CodeParts;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.core.model.Sampler;
import io.cimle.core.training.Baseline;
import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.ImleTrainer;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.PyramidL1Distance;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The method's point at a tiny size, with the defaults users start from: on instance scenes (sky and
 * vegetation scene-wide, each car and each building block its own appearance) IMLE covers the scene-wide
 * factors and every instance's appearances, independently of its neighbours, where a regression baseline
 * averages them away.
 */
class ModeCoverageAcceptanceTest {
    static final int SAMPLES = 10;

    @Test
    void imleCoversEveryFactorAndEveryInstanceWhereRegressionDoesNot() {
        List<Scene> trainScenes = ToyModeData.scenes(32, 16, 64, 1, ToyScenes.Variant.INSTANCES);
        List<Scene> heldOut = ToyModeData.scenes(32, 16, 8, 2, ToyScenes.Variant.INSTANCES);
        List<Example> train = trainScenes.stream().map(Scene::example).toList();
        ModeCoverage coverage = new ModeCoverage(new HashSet<>(ToyScenes.Variant.INSTANCES.modes()), 20.0);
        ImleConfig budget = ImleConfig.DEFAULT.withExamples(48).withCandidates(8).withSteps(100).withSubBatch(8)
                .withEpochs(6).withLearningRate(2e-3).withDecay(0, false).withSelectionBatch(64).withSeed(3);
        EvalReport imle = run(Baseline.IMLE, budget, train, heldOut, coverage);
        EvalReport regression = run(Baseline.REGRESSION, budget, train, heldOut, coverage);
        System.out.println(EvalReport.markdownHeader() + "\n" + imle.markdownRow() + "\n" + regression.markdownRow());
        // The least covered factor: a collapsed factor shows there, not in a mean.
        assertTrue(imle.minFactorCoverage() >= regression.minFactorCoverage() + 0.3,
                "IMLE per-factor coverage " + imle.factorCoverage() + " vs regression " + regression.factorCoverage());
        assertTrue(imle.minInstanceCoverage() >= regression.minInstanceCoverage() + 0.3,
                "IMLE per-instance coverage " + imle.instanceCoverage() + " vs regression " + regression.instanceCoverage());
        // Independence counts only where an instance varies: the least of coverage and "mixed" per class.
        assertTrue(diverseAndIndependent(imle) >= diverseAndIndependent(regression) + 0.3,
                "IMLE per instance " + imle.instances() + " vs regression " + regression.instances());
    }

    /** Per instance class the lesser of its coverage and its mixed figure; the least over classes. */
    static double diverseAndIndependent(EvalReport r) {
        return r.instanceCoverage().entrySet().stream()
                .mapToDouble(e -> Math.min(e.getValue(), r.independence().getOrDefault(e.getKey(), 1.0))).min().orElse(1);
    }

    static EvalReport run(Baseline baseline, ImleConfig budget, List<Example> train, List<Scene> heldOut,
                          ModeCoverage coverage) {
        ModelConfig model = baseline.apply(CodeParts.fitToData(budget.codeForm(Presets.tiny(LabelSets.TOY_SCENES.channels())),
                train));
        try (GeneratorNetwork net = GeneratorNetwork.create(model, Device.cpu(), 11);
             Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, d, train, null, baseline.apply(budget))) {
            trainer.train();
            Sampler sampler = Sampler.wrap(net, 16).withBank(trainer.codeBank()); // the model as a user gets it
            return ToyEvaluation.evaluate(baseline.name(), sampler, heldOut.stream().map(Scene::layout).toList(),
                    heldOut.stream().map(Scene::instances).toList(), SAMPLES, coverage,
                    new PairwiseDiversity(new MeanAbsPixelMetric(), 20), 5, baseline == Baseline.REGRESSION);
        }
    }
}
