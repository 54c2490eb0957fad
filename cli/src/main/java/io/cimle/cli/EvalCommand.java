package io.cimle.cli;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.DatasetOptions;
import io.cimle.core.data.Example;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.PairedFolderDataset;
import io.cimle.core.data.RenderedScenes;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.eval.EvalReport;
import io.cimle.core.eval.ModeCoverage;
import io.cimle.core.eval.PairwiseDiversity;
import io.cimle.core.eval.RenderedEvaluation;
import io.cimle.core.eval.ToyEvaluation;
import io.cimle.core.eval.metrics.FieldMetrics;
import io.cimle.core.eval.metrics.InputNormalisation;
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
                + "rendered streets (a set render-scenes wrote with --held-out); prints a markdown table. With exported "
                + "networks also FID, KID, LPIPS diversity and mIoU (README, \"Metrics\").")
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
    @Option(names = "--fid-weights", description = "Inception TorchScript for FID (and KID), as scripts/export-metric-networks.py "
            + "writes it.")
    Path fidWeights;
    @Option(names = "--kid", description = "Also KID (needs --fid-weights).")
    boolean kid;
    @Option(names = "--kid-subsets", defaultValue = "100", description = "KID subsets (default ${DEFAULT-VALUE}).")
    int kidSubsets;
    @Option(names = "--kid-subset-size", defaultValue = "1000", description = "KID subset size, capped at the smaller set "
            + "(default ${DEFAULT-VALUE}).")
    int kidSubsetSize;
    @Option(names = "--diversity-pairs", defaultValue = "RANDOM", description = "LPIPS diversity pairs per layout: RANDOM (the "
            + "paper's, --pairs of them), CONSECUTIVE (BicycleGAN's S-1), ALL (default ${DEFAULT-VALUE}).")
    PairwiseDiversity.Pairs diversityPairs;
    @Option(names = "--pairs", defaultValue = "40", description = "Random pairs per layout (default ${DEFAULT-VALUE}).")
    int pairs;
    @Option(names = "--segmenter", description = "Segmentation TorchScript for mIoU: (N, 3, H, W) -> (N, K, H, W) logits.")
    Path segmenter;
    @Option(names = "--segmenter-labels", description = "Text file mapping the segmenter's classes to the data set's, one "
            + "'SEGMENTER_CLASS DATA_SET_CLASS' a line (default: identity).")
    Path segmenterLabels;
    @Option(names = "--segmenter-input", defaultValue = "unit", description = "The segmenter's input: unit ([0, 1]), imagenet, "
            + "signed ([-1, 1]) or bytes (default ${DEFAULT-VALUE}).")
    String segmenterInput;
    @Option(names = "--metrics-cache", description = "Folder caching the real photos' Inception features by content hash.")
    Path metricsCache;

    private FieldMetrics.Report field;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(data) && RenderedScenes.isRendered(data)) {
            RenderedEvaluation.Report r = runRendered();
            System.out.print(r.markdown());
            System.out.print(field.markdown(classNames(field)));
            return 0;
        }
        EvalReport r = run();
        System.out.print(r.markdown());
        System.out.print(field.markdown(classNames(field)));
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
        try (Sampler sampler = model.sampler(cp, 16)) {
            field = fieldMetrics(sampler, eval.set().scenes().stream().map(RenderedScenes.Scene::layout).toList(),
                    eval.set().scenes().stream().map(RenderedScenes.Scene::photo).toList(), zeroNoise);
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
        try (Sampler sampler = model.sampler(cp, 16)) {
            PairwiseDiversity diversity = PairwiseDiversity.create(lpips, sampler.network().device());
            field = fieldMetrics(sampler, maps, examples.subList(0, maps.size()).stream().map(Example::photo).toList(),
                    zeroNoise);
            return ToyEvaluation.evaluate(name, sampler, maps, instances.contains(null) ? null : instances, samples,
                    new ModeCoverage(universe(data), 20.0), diversity, seed, zeroNoise);
        }
    }

    /** The last run's field metrics (FID, KID, LPIPS diversity, mIoU where networks were given). */
    FieldMetrics.Report field() {
        return field;
    }

    /**
     * FID, KID, LPIPS diversity and mIoU on samples drawn as the evaluation draws them (layout i's codes from
     * seed + i); without any network nothing is drawn and the report only says what is missing.
     */
    private FieldMetrics.Report fieldMetrics(Sampler sampler, List<ClassMap> layouts, List<RgbImage> photos,
                                             boolean zeroNoise) {
        FieldMetrics.Networks nets = new FieldMetrics.Networks(fidWeights, lpips, segmenter,
                InputNormalisation.parse(segmenterInput), segmenterLabels, metricsCache);
        FieldMetrics.Options options = new FieldMetrics.Options(kid, kidSubsets, kidSubsetSize, diversityPairs, pairs, seed);
        List<List<RgbImage>> drawn = new ArrayList<>();
        if (fidWeights != null || lpips != null || segmenter != null) {
            for (int i = 0; i < layouts.size(); i++) {
                drawn.add(zeroNoise ? sampler.generate(layouts.get(i), RenderedEvaluation.zeroCodes(sampler, samples)).images()
                        : sampler.generate(layouts.get(i), samples, seed + i).images());
            }
        }
        return FieldMetrics.measure(layouts, photos, drawn, nets, options, layouts.get(0).channels() - 1,
                sampler.network().device());
    }

    /** Class names of the label set with that many classes (Cityscapes' 19, the toy scenes'), else ids. */
    private static List<String> classNames(FieldMetrics.Report report) {
        int classes = report.miouSamples() == null ? -1 : report.miouSamples().perClass().size();
        for (LabelSet set : List.of(LabelSets.CITYSCAPES, LabelSets.TOY_SCENES)) {
            if (set.classNames().size() == classes) {
                return set.classNames();
            }
        }
        return List.of();
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
