package io.cimle.core.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.data.DatasetOptions;
import io.cimle.core.data.Example;
import io.cimle.core.data.Images;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.PairedFolderDataset;
import io.cimle.core.data.RgbImage;
import io.cimle.core.eval.DiversityResult;
import io.cimle.core.eval.Lpips;
import io.cimle.core.eval.PairwiseDiversity;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FID, KID, LPIPS diversity and mIoU computed by cimle equal the reference formulas
 * (scripts/metrics-reference.py: pytorch-fid, torch-fidelity, the LPIPS repo, the Cityscapes
 * confusion matrix) run by Debian's python3-torch on the same networks: random-weight
 * torchvision Inception-v3 and VGG-16 and a small random segmenter, exported by
 * scripts/export-metric-networks.py --random-weights into a temporary folder. Images are the
 * committed rendered streets (64x32; held-out against train photos).
 */
class MetricsEqualityTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLASSES = 19;

    @TempDir
    static Path dir;
    static Path root;
    static Path nets;
    static double exportSeconds;

    @BeforeAll
    static void exportNetworks() throws Exception {
        root = projectRoot();
        nets = dir.resolve("nets");
        long start = System.nanoTime();
        run(PYTHON, root.resolve("scripts/export-metric-networks.py").toString(), nets.toString(), "--random-weights",
                "--seed", "3", "--classes", String.valueOf(CLASSES));
        exportSeconds = (System.nanoTime() - start) / 1e9;
    }

    @Test
    void fidKidLpipsAndMiouEqualThePythonReferences() throws Exception {
        long start = System.nanoTime();
        Path heldOut = root.resolve("data/rendered-streets/64x32/held-out");
        Path train = root.resolve("data/rendered-streets/64x32/train");
        List<Path> set1 = images(heldOut, 0, 8);
        List<Path> set2 = images(train, 0, 8);
        ObjectNode job = JSON.createObjectNode();

        // FID and KID
        float[][] f1;
        float[][] f2;
        try (InceptionFeatures inception = InceptionFeatures.load(nets.resolve("inception.torchscript"), Device.cpu())) {
            FeatureCache cache = new FeatureCache(dir.resolve("cache"));
            f1 = cache.features(read(set1), inception);
            f2 = inception.of(read(set2));
            assertTrue(Files.isRegularFile(cache.fileFor(read(set1), inception)), "features cached by content hash");
            assertEquals(f1[5][100], cache.features(read(set1), inception)[5][100], "the cache gives back the features");
        }
        double fid = FrechetDistance.between(FeatureStatistics.of(f1), FeatureStatistics.of(f2));
        KernelInceptionDistance.Result kid = KernelInceptionDistance.compute(f1, f2, 10, 6, 11);
        job.put("inception", nets.resolve("inception.torchscript").toString());
        job.set("set1", paths(set1));
        job.set("set2", paths(set2));
        job.set("kid_rows1", JSON.valueToTree(kid.rows1()));
        job.set("kid_rows2", JSON.valueToTree(kid.rows2()));
        job.put("java_features1", writeFeatures(f1, "f1.bin").toString());
        job.put("java_features2", writeFeatures(f2, "f2.bin").toString());

        // LPIPS diversity: 4 "layouts" of 5 samples, the paper's random pairs (7 a layout)
        List<List<RgbImage>> samples = new ArrayList<>();
        ArrayNode layouts = job.putArray("layouts");
        SplittableRandom pairRandom = new SplittableRandom(5);
        for (int l = 0; l < 4; l++) {
            List<Path> group = images(train, 20 + 5 * l, 5);
            samples.add(read(group));
            ObjectNode layout = layouts.addObject();
            layout.set("samples", paths(group));
            layout.set("pairs", JSON.valueToTree(PairwiseDiversity.pairs(PairwiseDiversity.Pairs.RANDOM, 7, 5, pairRandom)));
        }
        DiversityResult diversity;
        try (Lpips lpips = Lpips.load(nets.resolve("lpips_vgg.npz"), Device.cpu())) {
            diversity = new PairwiseDiversity(lpips, 7).measureImages(samples, 5);
        }
        job.put("lpips", nets.resolve("lpips_vgg.npz").toString());

        // mIoU: the data set's own labels; the segmenter's class 17 stands for road, 18 for nothing
        int[] targets = new int[CLASSES];
        for (int k = 0; k < CLASSES; k++) {
            targets[k] = k == 17 ? 0 : k == 18 ? LabelMapping.NONE : k;
        }
        LabelMapping mapping = LabelMapping.of(targets);
        List<Example> examples = PairedFolderDataset.open(heldOut, LayoutFormat.CLASS_IDS, DatasetOptions.DEFAULT)
                .readAll().examples().subList(0, 12);
        SegmentationScore score = new SegmentationScore(CLASSES);
        try (Segmenter segmenter = Segmenter.load(nets.resolve("segmenter.torchscript"), InputNormalisation.IMAGENET,
                Device.cpu())) {
            int[][] predicted = segmenter.predict(examples.stream().map(Example::photo).toList());
            for (int i = 0; i < examples.size(); i++) {
                score.add(examples.get(i).layout().ids(), predicted[i], mapping);
            }
        }
        SegmentationScore.Result seg = score.result();
        job.put("segmenter", nets.resolve("segmenter.torchscript").toString());
        ObjectNode s = job.putObject("segmentation");
        s.put("classes", CLASSES);
        s.set("mapping", JSON.valueToTree(targets));
        s.set("normalisation", JSON.valueToTree(Map.of("divisor", 255, "mean", InputNormalisation.IMAGENET.mean(),
                "std", InputNormalisation.IMAGENET.std())));
        ArrayNode segImages = s.putArray("images");
        ArrayNode segLabels = s.putArray("labels");
        for (Example e : examples) {
            String name = e.id().substring(e.id().lastIndexOf('/') + 1);
            segImages.add(heldOut.resolve("images/" + name + ".png").toString());
            segLabels.add(heldOut.resolve("labels/" + name + ".png").toString());
        }

        long javaDone = System.nanoTime();
        Path jobFile = dir.resolve("job.json");
        JSON.writeValue(jobFile.toFile(), job);
        Path outFile = dir.resolve("reference.json");
        run(PYTHON, root.resolve("scripts/metrics-reference.py").toString(), jobFile.toString(), outFile.toString());
        JsonNode ref = JSON.readTree(outFile.toFile());
        System.out.printf("[metrics] seconds: export %.1f, cimle %.1f, python reference %.1f%n", exportSeconds,
                (javaDone - start) / 1e9, (System.nanoTime() - javaDone) / 1e9);
        System.out.printf("[metrics] FID java %.6f python %.6f (numpy low-rank on java's features %.6f); KID java %.8f +- %.8f "
                + "python %.8f +- %.8f; LPIPS diversity java %.7f python %.7f; mIoU java %.6f python %.6f, pixel acc "
                + "%.6f / %.6f; features max |diff| %.3g of max %.3g%n", fid, ref.get("fid").asDouble(),
                ref.get("fid_java_features_low_rank").asDouble(), kid.mean(), kid.std(), ref.at("/kid/mean").asDouble(),
                ref.at("/kid/std").asDouble(), diversity.mean(), ref.at("/lpips/mean").asDouble(), seg.meanIou(),
                ref.at("/segmentation/miou").asDouble(), seg.pixelAccuracy(),
                ref.at("/segmentation/pixel_accuracy").asDouble(), ref.get("feature_max_abs_diff").asDouble(),
                ref.get("feature_max_abs").asDouble());

        assertTrue(fid > 0, "two different image sets have a positive FID, got " + fid);
        assertRelative(ref.get("fid").asDouble(), fid, 1e-3, "FID against pytorch-fid's formula end to end");
        // The formula alone, on Java's features: numpy's low-rank route (exact with fewer images than
        // dimensions; scipy's sqrtm adds the roots of ~2040 rounding-noise eigenvalues, ~1e-5 here).
        assertRelative(ref.get("fid_java_features_low_rank").asDouble(), fid, 1e-9, "FID on the same features");
        assertRelative(ref.at("/kid/mean").asDouble(), kid.mean(), 1e-5, "KID mean end to end");
        assertRelative(ref.at("/kid/std").asDouble(), kid.std(), 1e-4, "KID std end to end");
        for (int i = 0; i < kid.values().length; i++) {
            assertRelative(ref.at("/kid_java_features/values/" + i).asDouble(), kid.values()[i], 1e-9,
                    "KID subset " + i + " on the same features");
        }
        assertEquals(ref.at("/lpips/mean").asDouble(), diversity.mean(), 1e-5, "LPIPS diversity");
        assertTrue(diversity.mean() > 0, "different photos have a positive LPIPS");
        assertEquals(ref.at("/segmentation/miou").asDouble(), seg.meanIou(), 1e-9, "mIoU");
        assertEquals(ref.at("/segmentation/pixel_accuracy").asDouble(), seg.pixelAccuracy(), 1e-9, "pixel accuracy");
        assertEquals(ref.at("/segmentation/mean_accuracy").asDouble(), seg.meanAccuracy(), 1e-9, "mean accuracy");
        for (int c = 0; c < CLASSES; c++) {
            JsonNode r = ref.at("/segmentation/iou/" + c);
            double ours = seg.perClass().get(c).iou();
            if (r.isNull()) {
                assertTrue(Double.isNaN(ours), "class " + c + " has no IoU in the reference");
            } else {
                assertEquals(r.asDouble(), ours, 1e-12, "IoU of class " + c);
            }
        }
    }

    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(expected - actual) <= tolerance * Math.abs(expected), what + ": expected " + expected
                + " got " + actual + " (relative " + Math.abs(expected - actual) / Math.abs(expected) + ", tolerance "
                + tolerance + ")");
    }

    private static Path writeFeatures(float[][] f, String name) throws IOException {
        Path file = dir.resolve(name);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (float[] row : f) {
                for (float v : row) {
                    out.writeFloat(v); // big-endian, numpy's ">f4"
                }
            }
        }
        return file;
    }

    private static List<Path> images(Path set, int from, int count) throws IOException {
        try (var files = Files.list(set.resolve("images"))) {
            return files.filter(p -> p.toString().endsWith(".png")).sorted().skip(from).limit(count).toList();
        }
    }

    private static List<RgbImage> read(List<Path> files) throws IOException {
        List<RgbImage> out = new ArrayList<>();
        for (Path p : files) {
            out.add(Images.decode(Files.readAllBytes(p)));
        }
        return out;
    }

    private static ArrayNode paths(List<Path> files) {
        ArrayNode a = JSON.createArrayNode();
        files.forEach(p -> a.add(p.toString()));
        return a;
    }

    static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/export-metric-networks.py"))) {
                return p;
            }
        }
        throw new IllegalStateException("scripts/export-metric-networks.py not found above " + Path.of("").toAbsolutePath());
    }

    /** Runs a Python script with one torch thread; fails naming it and its output when it fails. */
    static String run(String... command) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing (scripts/ensure-test-tools.sh installs "
                + "python3-torch, python3-torchvision, python3-scipy, python3-pil)");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + text);
        return text;
    }
}
