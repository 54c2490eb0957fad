package io.cimle.core.eval;

import ai.djl.Device;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Example;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.ToyScenes.Mode;
import io.cimle.core.data.ToyScenes.Scene;
import io.cimle.core.model.Generator;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.core.training.Baseline;
import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.ImleTrainer;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.PyramidL1Distance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * IMLE against its baselines on toy scenes under one budget; prints a markdown table.
 * Args: [preset=small] [stepsPerEpoch=150] [epochs=4]. Modes: 3 times of day x 2 car colours.
 */
public final class ToyBenchmark {
    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "small";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        List<Mode> modes = new ArrayList<>();
        for (ToyScenes.TimeOfDay t : ToyScenes.TimeOfDay.values()) {
            modes.add(new Mode(t, 0, 0));
            modes.add(new Mode(t, 2, 0));
        }
        ModelConfig base = Presets.byName(preset, LabelSets.TOY_SCENES.channels());
        List<Example> train = ToyModeData.scenes(base.width(), base.height(), 96, 1, modes).stream()
                .map(Scene::example).toList();
        List<ClassMap> heldOut = ToyModeData.scenes(base.width(), base.height(), 20, 2, modes).stream()
                .map(Scene::layout).toList();
        ModeCoverage coverage = new ModeCoverage(new HashSet<>(modes), 20.0);
        ImleConfig budget = ImleConfig.DEFAULT.withExamplesPerEpoch(96).withSamplesPerExample(12)
                .withStepsPerEpoch(steps).withSubBatch(8).withEpochs(epochs).withLearningRate(2e-3)
                .withDecay(0, false).withSelectionBatch(48).withSeed(3);
        System.out.printf("preset %s, %d train / %d held-out scenes, %d modes, K=%d, epochs=%d, 20 samples/layout%n%n",
                preset, train.size(), heldOut.size(), modes.size(), steps, epochs);
        System.out.println(EvalReport.markdownHeader().replace("| model |", "| model | train s |")
                .replaceFirst("\\|---\\|", "|---|---|"));
        for (Baseline b : Baseline.values()) {
            long start = System.nanoTime();
            ModelConfig model = b.apply(base);
            try (GeneratorNetwork net = GeneratorNetwork.create(model, Device.cpu(), 11);
                 Distance d = PyramidL1Distance.defaults();
                 ImleTrainer trainer = new ImleTrainer(net, d, train, null, b.apply(budget))) {
                trainer.train();
                double seconds = (System.nanoTime() - start) / 1e9;
                EvalReport r = ToyEvaluation.evaluate(b.name(), Generator.wrap(net, 20), heldOut, 20, coverage,
                        new PairwiseDiversity(new MeanAbsPixelMetric(), PairwiseDiversity.DEFAULT_PAIRS), 5,
                        b == Baseline.REGRESSION);
                System.out.println(r.markdownRow().replaceFirst("\\| " + b.name() + " \\|",
                        String.format("| %s | %.0f |", b.name(), seconds)));
            }
        }
        System.out.println("\nDiversity metric: mean absolute pixel difference in [0,1] (no LPIPS weights here)");
    }
}
