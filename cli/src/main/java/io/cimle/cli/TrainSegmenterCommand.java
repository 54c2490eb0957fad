package io.cimle.cli;

import ai.djl.Device;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.DatasetOptions;
import io.cimle.core.data.Example;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.PairedFolderDataset;
import io.cimle.core.data.RgbImage;
import io.cimle.core.eval.metrics.LabelMapping;
import io.cimle.core.eval.metrics.OwnSegmenter;
import io.cimle.core.eval.metrics.SegmentationScore;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train-segmenter", mixinStandardHelpOptions = true,
        description = "Trains cimle's own small segmenter on a set with exact labels (rendered streets), for eval's mIoU "
                + "where no published segmenter exists; reports its mIoU on a held-out set.")
final class TrainSegmenterCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Training pairs (images/ and labels/ with class ids).")
    Path data;
    @Option(names = "--held-out", description = "Pairs to report its mIoU on (e.g. the rendered held-out set).")
    Path heldOut;
    @Option(names = "--out", required = true, description = "The segmenter file eval --segmenter reads.")
    Path out;
    @Option(names = "--epochs", defaultValue = "40", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--seed", defaultValue = "0", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        List<Example> train = read(data);
        try (OwnSegmenter s = OwnSegmenter.train(train.stream().map(Example::photo).toList(),
                train.stream().map(Example::layout).toList(), epochs, seed, Device.cpu(),
                e -> System.err.printf(Locale.ROOT, "train-segmenter: epoch %d/%d loss %.4f (%.1f s)%n", e.epoch(),
                        epochs, e.loss(), e.seconds()))) {
            s.save(out);
            System.out.println("segmenter written to " + out);
            if (heldOut != null) {
                System.out.print(score(s, read(heldOut)).describe(names(train.get(0).layout())));
            }
        }
        return 0;
    }

    static SegmentationScore.Result score(OwnSegmenter s, List<Example> examples) {
        int classes = examples.get(0).layout().channels() - 1;
        SegmentationScore score = new SegmentationScore(classes);
        List<RgbImage> photos = examples.stream().map(Example::photo).toList();
        int[][] predicted = s.predict(photos);
        for (int i = 0; i < examples.size(); i++) {
            score.add(examples.get(i).layout().ids(), predicted[i], LabelMapping.identity(classes));
        }
        return score.result();
    }

    private static List<Example> read(Path dir) {
        return PairedFolderDataset.open(dir, LayoutFormat.CLASS_IDS, DatasetOptions.DEFAULT).readAll().examples();
    }

    private static List<String> names(ClassMap layout) {
        return layout.channels() - 1 == LabelSets.CITYSCAPES.classNames().size() ? LabelSets.CITYSCAPES.classNames()
                : List.of();
    }
}
