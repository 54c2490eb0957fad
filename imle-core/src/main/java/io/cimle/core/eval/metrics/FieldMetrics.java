package io.cimle.core.eval.metrics;

import ai.djl.Device;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.eval.DiversityResult;
import io.cimle.core.eval.Lpips;
import io.cimle.core.eval.PairwiseDiversity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The field's yardsticks for one model's samples against a held-out set: FID and KID (Inception
 * pool3, real photos against all samples), LPIPS diversity (pairs of one layout's samples) and mIoU
 * (a segmenter's reading of each sample against its input layout, and of the real photos as the
 * segmenter's own ceiling). Each needs a network the user exports once; a missing one is named with
 * how to get it, never replaced by something else under the same name.
 */
public final class FieldMetrics {
    /** The exported networks; null where not given. */
    public record Networks(Path inception, Path lpips, Path segmenter, InputNormalisation segmenterInput,
                           Path segmenterLabels, Path cacheDir) {}

    /** How the metrics are run. */
    public record Options(boolean kid, int kidSubsets, int kidSubsetSize, PairwiseDiversity.Pairs pairs, int randomPairs,
                          long seed) {
        public static Options defaults(long seed) {
            return new Options(true, KernelInceptionDistance.DEFAULT_SUBSETS, KernelInceptionDistance.DEFAULT_SUBSET_SIZE,
                    PairwiseDiversity.Pairs.RANDOM, PairwiseDiversity.DEFAULT_PAIRS, seed);
        }
    }

    /** What was measured (NaN / null where not) and, per missing network, how to get it. */
    public record Report(int realImages, int samples, double fid, KernelInceptionDistance.Result kid,
                         DiversityResult diversity, SegmentationScore.Result miouSamples, SegmentationScore.Result miouReal,
                         List<String> provenance, List<String> missing) {
        public String markdown(List<String> classNames) {
            StringBuilder out = new StringBuilder("\n## Field metrics (" + samples + " samples against " + realImages
                    + " real photos)\n\n| metric | value |\n|---|---|\n");
            if (!Double.isNaN(fid)) {
                out.append(String.format(Locale.ROOT, "| FID (pytorch-fid formula) | %.4f |%n", fid));
            }
            if (kid != null) {
                out.append(String.format(Locale.ROOT, "| KID (%d subsets of %d) | %.6f +- %.6f |%n", kid.values().length,
                        kid.subsetSize(), kid.mean(), kid.std()));
            }
            if (diversity != null) {
                out.append(String.format(Locale.ROOT, "| LPIPS diversity (%d layouts, %d pairs each) | %.4f |%n",
                        diversity.layouts(), diversity.pairsPerLayout(), diversity.mean()));
            }
            if (miouSamples != null) {
                out.append(String.format(Locale.ROOT, "| mIoU of samples vs. their layouts (pixel accuracy) | %.4f (%.4f) |%n",
                        miouSamples.meanIou(), miouSamples.pixelAccuracy()));
                out.append(String.format(Locale.ROOT, "| mIoU of the real photos (the segmenter's ceiling) | %.4f (%.4f) |%n",
                        miouReal.meanIou(), miouReal.pixelAccuracy()));
            }
            if (miouSamples != null) {
                out.append("\nPer class, samples:\n\n").append(miouSamples.describe(classNames));
            }
            out.append("\nNetworks: ").append(provenance.isEmpty() ? "none given" : String.join("; ", provenance)).append('\n');
            for (String m : missing) {
                out.append("Not measured: ").append(m).append('\n');
            }
            return out.toString();
        }
    }

    private FieldMetrics() {
    }

    /**
     * @param layouts the held-out layouts, {@code samples.get(i)} layout i's samples (>= 2 each for diversity)
     * @param photos the held-out real photos
     */
    public static Report measure(List<ClassMap> layouts, List<RgbImage> photos, List<List<RgbImage>> samples,
                                 Networks networks, Options options, int datasetClasses, Device device) {
        List<String> provenance = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<RgbImage> pooled = samples.stream().flatMap(List::stream).toList();
        double fid = Double.NaN;
        KernelInceptionDistance.Result kid = null;
        if (networks.inception() != null) {
            try (InceptionFeatures inception = InceptionFeatures.load(networks.inception(), device)) {
                provenance.add("Inception " + inception.network().provenance());
                float[][] real = networks.cacheDir() == null ? inception.of(photos)
                        : new FeatureCache(networks.cacheDir()).features(photos, inception);
                float[][] fake = inception.of(pooled);
                fid = FrechetDistance.between(FeatureStatistics.of(real), FeatureStatistics.of(fake));
                if (options.kid()) {
                    kid = KernelInceptionDistance.compute(real, fake, options.kidSubsets(), options.kidSubsetSize(),
                            options.seed());
                }
            }
        } else {
            missing.add("FID and KID: pass --fid-weights inception.torchscript, exported once by "
                    + "scripts/export-metric-networks.py (pytorch-fid's FID Inception weights; README, \"Metrics\")");
        }
        DiversityResult diversity = null;
        if (networks.lpips() != null) {
            try (Lpips lpips = Lpips.load(networks.lpips(), device)) {
                diversity = new PairwiseDiversity(lpips, options.randomPairs(), options.pairs()).measureImages(samples,
                        options.seed());
                provenance.add(lpips.name());
            }
        } else {
            missing.add("LPIPS diversity: pass --lpips lpips_vgg.npz (scripts/export-metric-networks.py: torchvision's "
                    + "VGG-16 and the LPIPS repo's v0.1 linear layers)");
        }
        SegmentationScore.Result onSamples = null;
        SegmentationScore.Result onReal = null;
        if (networks.segmenter() != null) {
            try (PixelClassifier segmenter = PixelClassifier.load(networks.segmenter(), networks.segmenterInput(), device)) {
                provenance.add("segmenter " + segmenter.provenance());
                ClassMap first = layouts.get(0);
                int outputs = segmenter.outputs(first.width(), first.height());
                LabelMapping mapping = networks.segmenterLabels() == null ? LabelMapping.identity(outputs)
                        : LabelMapping.read(networks.segmenterLabels(), outputs, datasetClasses);
                onSamples = score(segmenter, mapping, layouts, samples, datasetClasses);
                onReal = score(segmenter, mapping, layouts, photos.stream().map(List::of).toList(), datasetClasses);
            }
        } else {
            missing.add("mIoU: pass --segmenter S.torchscript ((N, 3, H, W) -> (N, K, H, W) logits; "
                    + "--segmenter-labels maps its classes to the data set's), or train one on rendered streets with "
                    + "`cimle train-segmenter`");
        }
        return new Report(photos.size(), pooled.size(), fid, kid, diversity, onSamples, onReal, provenance, missing);
    }

    private static SegmentationScore.Result score(PixelClassifier segmenter, LabelMapping mapping, List<ClassMap> layouts,
                                                  List<List<RgbImage>> images, int classes) {
        SegmentationScore score = new SegmentationScore(classes);
        for (int i = 0; i < layouts.size(); i++) {
            int[][] predicted = segmenter.predict(images.get(i));
            for (int[] p : predicted) {
                score.add(layouts.get(i).ids(), p, mapping);
            }
        }
        return score.result();
    }
}
