package io.cimle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.model.Checkpoint;
import io.cimle.core.training.CodeSelection;
import io.cimle.core.training.ImleTrainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CimleCliTest {
    @TempDir
    Path dir;

    @Test
    void toyScenesTrainGenerateInterpolateEval() throws Exception {
        Path data = dir.resolve("data");
        Path runs = dir.resolve("run");
        assertEquals(0, CimleCli.run("toy-scenes", "--out", data.toString(), "-n", "6", "--size", "32x16"));
        assertTrue(Files.isRegularFile(data.resolve("labels/toy_00000.png")));
        String[] train = {"train", "--data", data.toString(), "--out", runs.toString(), "--preset", "tiny",
                "--epochs", "1", "--steps", "3", "--examples", "4", "--candidates", "3", "--log-every", "1"};
        assertEquals(0, CimleCli.run(train));
        assertTrue(CliSupport.store(runs).latest("cimle").isPresent());
        // Resume to a second epoch from the newest checkpoint.
        String[] more = {"train", "--data", data.toString(), "--out", runs.toString(), "--epochs", "2", "--resume",
                "--preset", "tiny"};
        assertEquals(0, CimleCli.run(more));

        Path samples = dir.resolve("samples");
        Path layout = data.resolve("labels/toy_00001.png");
        assertEquals(0, CimleCli.run("generate", "--checkpoint", runs.toString(), "--layout", layout.toString(),
                "-n", "3", "--seed", "5", "--out", samples.toString()));
        for (int i = 0; i < 3; i++) {
            assertTrue(Files.size(samples.resolve(String.format("sample_%03d.png", i))) > 0);
            assertTrue(Files.readString(samples.resolve(String.format("sample_%03d.code.json", i))).contains("seed"));
        }
        // A folder of layouts: one model load, a sub-folder of samples per layout; the same seed, the same bytes.
        Path perLayout = dir.resolve("per-layout");
        assertEquals(0, CimleCli.run("generate", "--checkpoint", runs.toString(), "--layout",
                data.resolve("labels").toString(), "-n", "3", "--seed", "5", "--out", perLayout.toString()));
        try (Stream<Path> folders = Files.list(perLayout)) {
            assertEquals(6, folders.count());
        }
        assertEquals(Files.readAllBytes(samples.resolve("sample_002.png")).length,
                Files.readAllBytes(perLayout.resolve("toy_00001/sample_002.png")).length);
        assertTrue(Arrays.equals(Files.readAllBytes(samples.resolve("sample_002.png")),
                Files.readAllBytes(perLayout.resolve("toy_00001/sample_002.png"))));
        // Style from a reference pair: the codes nearest its photo, applied to another layout.
        Path styled = dir.resolve("styled");
        assertEquals(0, CimleCli.run("generate", "--checkpoint", runs.toString(), "--layout",
                data.resolve("labels/toy_00002.png").toString(), "-n", "2", "--style-layout", layout.toString(),
                "--style-photo", data.resolve("images/toy_00001.png").toString(), "--style-candidates", "8",
                "--out", styled.toString()));
        assertTrue(Files.size(styled.resolve("sample_001.png")) > 0);
        // The nearest code, composed region by region where that came nearer: a seed, or the values themselves.
        String found = Files.readString(styled.resolve("sample_000.code.json"));
        assertTrue(found.contains("seed") || found.contains("values"), found);
        Path walk = dir.resolve("walk");
        assertEquals(0, CimleCli.run("interpolate", "--checkpoint", runs.toString(), "--layout", layout.toString(),
                "--from", samples.resolve("sample_000.code.json").toString(), "--to", "77", "--steps", "4",
                "--out", walk.toString()));
        try (Stream<Path> files = Files.list(walk)) {
            assertEquals(4, files.filter(p -> p.toString().endsWith(".png")).count());
        }
        String out = captureOut(() -> assertEquals(0, CimleCli.run("eval", "--checkpoint", runs.toString(),
                "--data", data.toString(), "--samples", "3", "--layouts", "2")));
        assertTrue(out.contains("| mode coverage |"), out);
        assertTrue(out.contains("Not measured: FID and KID: pass --fid-weights") && out.contains("Not measured: LPIPS")
                && out.contains("Not measured: mIoU"), "without networks each field metric says how to get it: " + out);
        Path segmenter = dir.resolve("segmenter.bin");
        String trained = captureOut(() -> assertEquals(0, CimleCli.run("train-segmenter", "--data", data.toString(),
                "--held-out", data.toString(), "--out", segmenter.toString(), "--epochs", "1")));
        assertTrue(trained.contains("mIoU "), trained);
        String withSegmenter = captureOut(() -> assertEquals(0, CimleCli.run("eval", "--checkpoint", runs.toString(),
                "--data", data.toString(), "--samples", "2", "--layouts", "2", "--segmenter", segmenter.toString())));
        assertTrue(withSegmenter.contains("| mIoU of samples vs. their layouts (pixel accuracy) |")
                && withSegmenter.contains("cimle's own segmenter"), withSegmenter);
    }

    /** Regional selection with a vector code: the code gets its class blocks, recorded in the checkpoint. */
    @Test
    void trainWithRegionalSelectionRecordsTheCodeForm() throws Exception {
        Path data = dir.resolve("regional");
        Path runs = dir.resolve("regional-run");
        assertEquals(0, CimleCli.run("toy-scenes", "--out", data.toString(), "-n", "6", "--size", "32x16",
                "--variant", "regions"));
        assertTrue(Files.readString(data.resolve("modes.csv")).contains("sky_weather"));
        assertEquals(0, CimleCli.run("train", "--data", data.toString(), "--out", runs.toString(), "--preset", "tiny",
                "--noise", "vector", "--selection", "regional", "--epochs", "1", "--steps", "2", "--examples", "4",
                "--candidates", "4"));
        Checkpoint cp = CliSupport.readCheckpoint(runs);
        assertEquals(CodeSelection.DEFAULT_REGION_CODE_DIM, cp.config().regionCodeDim());
        assertEquals(CodeSelection.REGIONAL, ImleTrainer.configOf(cp).selection());
        String out = captureOut(() -> assertEquals(0, CimleCli.run("eval", "--checkpoint", runs.toString(),
                "--data", data.toString(), "--samples", "3", "--layouts", "2")));
        assertTrue(out.contains("sky ") && out.contains("vegetation ") && out.contains("car "), out);
    }

    /** A label set by name instead of the data set's classes.json. */
    @Test
    void trainTakesTheLabelSetByName() throws Exception {
        Path data = dir.resolve("named");
        assertEquals(0, CimleCli.run("toy-scenes", "--out", data.toString(), "-n", "6", "--size", "32x16"));
        Files.delete(data.resolve("classes.json"));
        String[] train = {"train", "--data", data.toString(), "--out", dir.resolve("named-run").toString(), "--preset",
                "tiny", "--epochs", "1", "--steps", "1", "--examples", "2", "--candidates", "2"};
        assertEquals(2, CimleCli.run(train), "without classes.json and without --labels");
        String[] named = Stream.concat(Arrays.stream(train),
                Stream.of("--labels", "toy-scenes")).toArray(String[]::new);
        assertEquals(0, CimleCli.run(named));
    }

    @Test
    void badArgumentsExitWithTwoAndOneLine() {
        assertEquals(2, CimleCli.run("train", "--data"));
        assertEquals(2, CimleCli.run("toy-scenes", "--out", dir.toString(), "-n", "many"));
        assertEquals(2, CimleCli.run("no-such-command"));
        String err = captureErr(() -> assertEquals(2, CimleCli.run("toy-scenes", "--out", dir.toString(), "-n", "2",
                "--size", "big")));
        assertTrue(err.startsWith("error: --size must be WIDTHxHEIGHT"), err);
        assertEquals(1, err.lines().count(), err);
    }

    @Test
    void badTrainingOptionsNameTheOption() {
        Path data = dir.resolve("few");
        assertEquals(0, CimleCli.run("toy-scenes", "--out", data.toString(), "-n", "2", "--size", "32x16"));
        String err = captureErr(() -> assertEquals(2, CimleCli.run("train", "--data", data.toString(), "--out",
                dir.resolve("r1").toString(), "--preset", "tiny", "--noise", "pixels")));
        assertTrue(err.startsWith("error: --noise must be one of encoder, raw, vector, got 'pixels'"), err);
        err = captureErr(() -> assertEquals(2, CimleCli.run("train", "--data", data.toString(), "--out",
                dir.resolve("r2").toString(), "--preset", "tiny", "--decay-epoch", "-1")));
        assertTrue(err.startsWith("error: --decay-epoch must be an integer >= 0, got -1"), err);
    }

    @Test
    void badFilesGiveAClearMessage() throws Exception {
        Path junk = dir.resolve("junk.ckpt");
        Files.writeString(junk, "not a zip");
        String err = captureErr(() -> assertEquals(2, CimleCli.run("generate", "--checkpoint", junk.toString(),
                "--layout", "x.png", "--out", dir.toString())));
        assertTrue(err.startsWith("error: "), err);
        assertFalse(err.contains("\tat "), err);
        err = captureErr(() -> assertEquals(2, CimleCli.run("train", "--data", dir.resolve("nope").toString(),
                "--out", dir.toString())));
        assertTrue(err.contains("nope"), err);
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"toy-scenes", "train", "generate", "interpolate", "eval", "train-segmenter"}) {
            String out = captureOut(() -> assertEquals(0, CimleCli.run(c, "--help")));
            assertTrue(out.contains("Usage: cimle " + c), out);
        }
    }

    static String captureOut(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String captureErr(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
