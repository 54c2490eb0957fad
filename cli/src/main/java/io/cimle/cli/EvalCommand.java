package io.cimle.cli;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.DatasetOptions;
import io.cimle.core.data.Example;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.PairedFolderDataset;
import io.cimle.core.data.RenderedScenes;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.eval.EvalReport;
import io.cimle.core.eval.ModeCoverage;
import io.cimle.core.eval.PairwiseDiversity;
import io.cimle.core.eval.RenderedEvaluation;
import io.cimle.core.eval.ToyEvaluation;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.Sampler;
import io.cimle.core.training.TrainingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Mode coverage, frequency distance, fidelity and pairwise diversity on held-out toy scenes or "
                + "rendered streets (a set render-scenes wrote with --held-out); prints a markdown table.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;
    @Option(names = "--data", required = true, description = "Held-out toy scenes (as toy-scenes writes them) or rendered streets (render-scenes "
            + "--held-out).")
    Path data;
    @Option(names = "--samples", defaultValue = "20", description = "Samples per layout (default ${DEFAULT-VALUE}).")
    int samples;
    @Option(names = "--layouts", defaultValue = "50", description = "At most this many layouts (default ${DEFAULT-VALUE}).")
    int layouts;
    @Option(names = "--lpips", description = "LPIPS weights .npz for diversity (default: pixel fallback).")
    Path lpips;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of the codes and pairs (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(data) && RenderedScenes.isRendered(data)) {
            RenderedEvaluation.Report r = runRendered();
            System.out.print(r.markdown());
            return 0;
        }
        EvalReport r = run();
        System.out.print(r.markdown());
        return 0;
    }

    /** On rendered streets: each sample's regions read against the scene's renders in every appearance. */
    RenderedEvaluation.Report runRendered() throws Exception {
        if (samples < 2 || layouts < 1) {
            throw new IllegalArgumentException("--samples must be >= 2 and --layouts >= 1, got " + samples + ", "
                    + layouts);
        }
        Checkpoint cp = model.readCheckpoint();
        RenderedEvaluation eval = new RenderedEvaluation(RenderedScenes.open(data, layouts),
                RenderedEvaluation.DEFAULT_THRESHOLD);
        var first = eval.set().scenes().get(0).layout();
        if (first.width() != cp.config().width() || first.height() != cp.config().height()) {
            throw new IllegalArgumentException("the rendered set is " + first.width() + "x" + first.height()
                    + " but the model makes " + cp.config().width() + "x" + cp.config().height()
                    + ": render a held-out set at the model's size");
        }
        System.err.printf("eval: the reading recovers %.3f of the real held-out renders' factors%n", eval.truth());
        boolean zeroNoise = TrainingMode.REGRESSION.name().equals(cp.metadata().get("mode"));
        try (Sampler sampler = Sampler.fromCheckpoint(cp, model.device(), 16)) {
            return eval.evaluate(cp.config().presetName() + " " + cp.metadata().getOrDefault("mode", "?") + " epoch "
                    + cp.epoch(), sampler, samples, PairwiseDiversity.create(lpips, sampler.network().device()), seed,
                    zeroNoise);
        }
    }

    EvalReport run() throws Exception {
        if (samples < 2 || layouts < 1) {
            throw new IllegalArgumentException("--samples must be >= 2 and --layouts >= 1, got " + samples + ", "
                    + layouts);
        }
        Checkpoint cp = model.readCheckpoint();
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("data directory " + data + " does not exist");
        }
        List<Example> examples = PairedFolderDataset.open(data, LayoutFormat.CLASS_IDS,
                DatasetOptions.DEFAULT.withTarget(cp.config().width(), cp.config().height())).readAll().examples();
        List<ClassMap> maps = examples.stream().limit(layouts).map(Example::layout).toList();
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("data set " + data + " has no readable pairs");
        }
        List<ToyScenes.Instances> instances = new ArrayList<>();
        for (Example e : examples.subList(0, maps.size())) {
            instances.add(ToyScenes.readInstances(data, e.id(), e.layout().width(), e.layout().height()));
        }
        boolean zeroNoise = TrainingMode.REGRESSION.name().equals(cp.metadata().get("mode"));
        String name = cp.config().presetName() + " " + cp.metadata().getOrDefault("mode", "?") + " "
                + cp.config().noiseMode() + " epoch " + cp.epoch();
        try (Sampler sampler = Sampler.fromCheckpoint(cp, model.device(), 16)) {
            PairwiseDiversity diversity = PairwiseDiversity.create(lpips, sampler.network().device());
            return ToyEvaluation.evaluate(name, sampler, maps, instances.contains(null) ? null : instances, samples,
                    new ModeCoverage(universe(data), 20.0), diversity, seed, zeroNoise);
        }
    }

    /**
     * The modes modes.csv lists (the data's own universe), or the classic modes. Reads both forms: name,
     * time, car, hue, mode index; and name, time, car, hue, sky weather, vegetation season, mode index.
     */
    static Set<ToyScenes.Mode> universe(Path data) throws Exception {
        Path csv = data.resolve("modes.csv");
        if (!Files.isRegularFile(csv)) {
            return ModeCoverage.allModes();
        }
        List<String> lines = Files.readAllLines(csv);
        boolean regional = !lines.isEmpty() && lines.get(0).contains("sky_weather");
        Set<ToyScenes.Mode> out = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (regional && f.length >= 6) {
                out.add(new ToyScenes.Mode(ToyScenes.TimeOfDay.valueOf(f[1]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5])));
            } else if (f.length >= 5 && f[4].matches("\\d+")) {
                out.add(ToyScenes.Mode.ofIndex(Integer.parseInt(f[4])));
            }
        }
        return out.isEmpty() ? ModeCoverage.allModes() : out;
    }
}
