package io.cimle.cli.demo;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.DatasetOptions;
import io.cimle.core.data.Example;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.ModeReader;
import io.cimle.core.data.PairedFolderDataset;
import io.cimle.core.data.RenderedScenes;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes.Mode;
import io.cimle.core.data.ToyScenes.Scene;
import io.cimle.core.eval.EvalReport;
import io.cimle.core.eval.MeanAbsPixelMetric;
import io.cimle.core.eval.ModeCoverage;
import io.cimle.core.eval.PairwiseDiversity;
import io.cimle.core.eval.RenderedEvaluation;
import io.cimle.core.eval.RenderedReader;
import io.cimle.core.eval.ToyEvaluation;
import io.cimle.core.eval.ToyModeData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * The demo's data: what it trains on, the held-out layouts the gallery shows with their real photos, and how the
 * samples are evaluated. Rendered streets (the default; the committed set at the preset's size) or toy scenes.
 */
sealed interface DemoData permits DemoData.Rendered, DemoData.Toy {
    /** What the evaluation gives the demo's summary and the training picture. */
    record Evaluation(String markdown, String row, double coverage, double minCoverage) {
    }

    /** Model name (checkpoints topic key and store folder). */
    String model();

    /** The services' label set. */
    LabelSet labels();

    /** A few words for the gallery. */
    String describe();

    /** The training pairs. */
    List<Example> training();

    /** Held-out layouts with their real photos. */
    List<Example> heldOut();

    /**
     * A pair of sample indices for the interpolation: for rendered streets a day sample and a night (or the darkest)
     * one, else the two most different; {@code layout} indexes {@link #heldOut()}.
     */
    int[] interpolationEnds(int layout, List<RgbImage> samples);

    /** The figures for the gallery's samples ({@code samples.get(i)} of held-out layout i) and one code on each. */
    Evaluation evaluate(List<List<RgbImage>> samples, List<RgbImage> oneCode);

    /** Rendered streets under {@code root} (train/ and held-out/). */
    static Rendered rendered(Path root, int width, int height, int pairs, int layouts) {
        if (!Files.isDirectory(root.resolve("train")) || !Files.isDirectory(root.resolve("held-out"))) {
            throw new IllegalArgumentException("no rendered set at " + root + " (train/ and held-out/): the committed "
                    + "sets are 64x32 (--preset small) and 128x64 (--preset medium); use --scenes toy for other presets "
                    + "or render one with ./cimle render-scenes");
        }
        List<Example> train = PairedFolderDataset.open(root.resolve("train"), LayoutFormat.CLASS_IDS,
                DatasetOptions.DEFAULT.withTarget(width, height)).readAll().examples();
        RenderedScenes held = RenderedScenes.open(root.resolve("held-out"), layouts);
        if (held.scenes().get(0).layout().width() != width) {
            throw new IllegalArgumentException("the held-out renders under " + root + " are not " + width + "x" + height);
        }
        return new Rendered(train.subList(0, Math.min(pairs, train.size())),
                new RenderedEvaluation(held, RenderedEvaluation.DEFAULT_THRESHOLD));
    }

    /** Rendered streets: Cityscapes train ids, looks read against the held-out scenes' renders. */
    record Rendered(List<Example> training, RenderedEvaluation evaluation) implements DemoData {
        @Override
        public String model() {
            return "streets";
        }

        @Override
        public LabelSet labels() {
            return LabelSets.CITYSCAPES;
        }

        @Override
        public String describe() {
            return "rendered streets (Blender's Cycles: light and season scene-wide, each car its paint, each building "
                    + "its facade, at unequal frequencies)";
        }

        @Override
        public List<Example> heldOut() {
            return evaluation.set().scenes().stream()
                    .map(s -> new Example(s.name(), s.layout(), s.photo())).toList();
        }

        @Override
        public int[] interpolationEnds(int layout, List<RgbImage> samples) {
            RenderedReader reader = evaluation.readers().get(layout);
            int day = -1;
            int dark = -1;
            int darkest = -1;
            for (int i = 0; i < samples.size(); i++) {
                int light = reader.read(samples.get(i)).light();
                if (light == 0 && day < 0) {
                    day = i;
                }
                if (light > darkest) {
                    darkest = light;
                    dark = i;
                }
            }
            return day >= 0 && dark >= 0 && day != dark ? new int[] {day, dark} : mostDifferent(samples);
        }

        @Override
        public Evaluation evaluate(List<List<RgbImage>> samples, List<RgbImage> oneCode) {
            RenderedEvaluation.Report r = evaluation.measure("IMLE (generator-service)", samples, List.of(oneCode),
                    new PairwiseDiversity(new MeanAbsPixelMetric(), PairwiseDiversity.DEFAULT_PAIRS), 7);
            double mean = r.factors().values().stream().mapToDouble(RenderedEvaluation.FactorFigures::coverage)
                    .average().orElse(Double.NaN);
            return new Evaluation(r.markdown(), r.markdownRow(), mean, r.minCoverage());
        }
    }

    /** Toy scenes (the fast tests' data): three times of day x two car colours. */
    record Toy(List<Example> training, List<Scene> held, List<Mode> modes) implements DemoData {
        static Toy of(int width, int height, int pairs, int layouts) {
            List<Mode> modes = ToyModeData.timesOfDay(0, 1);
            return new Toy(ToyModeData.scenes(width, height, pairs, 1, modes).stream().map(Scene::example).toList(),
                    ToyModeData.scenes(width, height, layouts, 424242, modes), modes);
        }

        @Override
        public String model() {
            return "toy";
        }

        @Override
        public LabelSet labels() {
            return LabelSets.TOY_SCENES;
        }

        @Override
        public String describe() {
            return "toy scenes (" + modes.size() + " appearance modes: time of day x car colour)";
        }

        @Override
        public List<Example> heldOut() {
            return held.stream().map(Scene::example).toList();
        }

        @Override
        public int[] interpolationEnds(int layout, List<RgbImage> samples) {
            return mostDifferent(samples);
        }

        @Override
        public Evaluation evaluate(List<List<RgbImage>> samples, List<RgbImage> oneCode) {
            List<ClassMap> maps = held.stream().map(Scene::layout).toList();
            EvalReport r = ToyEvaluation.evaluate("IMLE (generator-service)", maps, samples,
                    new ModeCoverage(new HashSet<>(modes), ModeReader.DEFAULT_THRESHOLD),
                    new PairwiseDiversity(new MeanAbsPixelMetric(), PairwiseDiversity.DEFAULT_PAIRS), 7);
            return new Evaluation(r.markdown(), r.markdownRow(), r.coverage(), r.minCoverage());
        }
    }

    private static int[] mostDifferent(List<RgbImage> images) {
        int[] best = {0, Math.min(1, images.size() - 1)};
        double max = -1;
        for (int a = 0; a < images.size(); a++) {
            for (int b = a + 1; b < images.size(); b++) {
                double d = images.get(a).meanAbsDifference(images.get(b));
                if (d > max) {
                    max = d;
                    best = new int[] {a, b};
                }
            }
        }
        return best;
    }
}
