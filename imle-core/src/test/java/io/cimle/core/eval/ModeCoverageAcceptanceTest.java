package io.cimle.core.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cimle.core.data.ClassMap;
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

    /**
     * The long tail (issue 37): with looks at unequal frequencies, the default draws the sky, the paints and the
     * facades nearer the data's rates, and covers each car's and each building's looks, where a regression draws one
     * averaged look. Against regression, not against the
     * issue's marks: the rarest paints are not drawn at any budget yet (docs/measured.md, "Code bank").
     */
    @Test
    void onTheLongTailImleDrawsRealLooksAtTheDatasRatesWhereRegressionAverages() {
        ToyScenes.Variant tail = ToyScenes.Variant.LONG_TAIL;
        List<Scene> trainScenes = ToyModeData.scenes(64, 32, 96, 1, tail);
        List<Scene> heldOut = ToyModeData.scenes(64, 32, 6, 2, tail);
        List<Example> train = trainScenes.stream().map(Scene::example).toList();
        ImleConfig budget = ImleConfig.DEFAULT.withExamples(48).withCandidates(8).withSteps(50).withSubBatch(8)
                .withEpochs(4).withLearningRate(2e-3).withDecay(0, false).withSelectionBatch(64).withSeed(3);
        LongTailFigures.Result imle = longTail(Baseline.IMLE, budget, train, heldOut);
        LongTailFigures.Result regression = longTail(Baseline.REGRESSION, budget, train, heldOut);
        System.out.println("IMLE: " + imle.markdown() + "REGRESSION: " + regression.markdown());
        LongTailFigures.Factor sky = imle.factors().get("sky");
        LongTailFigures.Factor car = imle.factors().get("car");
        assertTrue(sky.tv() <= regression.factors().get("sky").tv() - 0.1, "sky TV " + sky.tv() + " vs regression "
                + regression.factors().get("sky").tv());
        assertTrue(car.tv() <= regression.factors().get("car").tv() - 0.15, "car paints' TV " + car.tv()
                + " vs regression " + regression.factors().get("car").tv());
        LongTailFigures.Factor building = imle.factors().get("building");
        assertTrue(building.coverage() >= regression.factors().get("building").coverage() + 0.3, "facade coverage "
                + building.coverage() + " vs regression " + regression.factors().get("building").coverage());
        assertTrue(car.coverage() >= regression.factors().get("car").coverage() + 0.2, "car coverage "
                + car.coverage() + " vs regression " + regression.factors().get("car").coverage());
    }

    static LongTailFigures.Result longTail(Baseline baseline, ImleConfig budget, List<Example> train,
                                           List<Scene> heldOut) {
        ModelConfig model = baseline.apply(CodeParts.fitToData(budget.codeForm(
                Presets.small(LabelSets.TOY_SCENES.channels())), train));
        try (GeneratorNetwork net = GeneratorNetwork.create(model, Device.cpu(), 11);
             Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, d, train, null, baseline.apply(budget))) {
            trainer.train();
            Sampler sampler = Sampler.wrap(net, 16).withBank(trainer.codeBank());
            List<ClassMap> layouts = heldOut.stream().map(Scene::layout).toList();
            return new LongTailFigures(ToyScenes.Variant.LONG_TAIL, 20.0).measure(layouts,
                    heldOut.stream().map(Scene::instances).toList(),
                    ToyEvaluation.draw(sampler, layouts, SAMPLES, 5, baseline == Baseline.REGRESSION), List.of());
        }
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
