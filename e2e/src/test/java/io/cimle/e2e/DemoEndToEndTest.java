package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.cli.demo.DemoCommand;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's first command at a tiny size: broker, trainer and generator as real processes, data
 * produced to Kafka, a minute of training, the gallery written from replies received over Kafka; then
 * a second run that neither re-ingests nor re-trains.
 */
class DemoEndToEndTest {
    static final int LAYOUTS = 2;
    static final int SAMPLES = 4;

    @Test
    void theDemoWritesAGalleryAndARerunReusesEverything(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String[] args = {"--preset", "tiny", "--scenes", "toy", "--minutes", "0.75", "--pairs", "48", "--layouts", "" + LAYOUTS,
                "--samples", "" + SAMPLES, "--out", out.toString(), "--work", dir.resolve("work").toString(),
                "--kafka-port", "" + Ports.free(), "--generator-port", "" + Ports.free(), "--trainer-port",
                "" + Ports.free(), "--app-dir", Ports.root().toString(), "--steps", "20",
                "--examples", "24"};
        DemoCommand.Result first = run(args).result;

        // Rows of samples, the interpolation strip (9), the style row (one per layout), the edit (4).
        assertEquals(LAYOUTS * SAMPLES + 9 + LAYOUTS + 4, first.galleryImages());
        for (String f : List.of("index.html", "interpolation.png", "same-style.png", "scene-edit.png", "evaluation.md",
                "layout-00.png", "layout-01.png")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        BufferedImage row = ImageIO.read(out.resolve("layout-00.png").toFile());
        // layout + real photo + samples, each 32 px wide enlarged 4x, 4 px apart.
        assertEquals((2 + SAMPLES) * (32 * 4 + 4) + 4, row.getWidth());
        BufferedImage strip = ImageIO.read(out.resolve("interpolation.png").toFile());
        assertEquals(9 * (32 * 4 + 4) + 4, strip.getWidth());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("mode coverage") && html.contains(first.modelVersion()), "index names the model");
        assertTrue(first.report().coverage() >= 0 && first.report().coverage() <= 1, "coverage is a share");

        Run second = run(args);
        assertTrue(second.output.contains("not produced again"), second.output);
        assertTrue(second.output.contains("not trained again"), second.output);
        assertEquals(first.modelVersion(), second.result.modelVersion());
        assertEquals(first.galleryImages(), second.result.galleryImages());
    }

    record Run(DemoCommand.Result result, String output) {
    }

    static Run run(String[] args) throws Exception {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs(args);
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try {
            return new Run(demo.run(), captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    /** Keeps the demo's console output visible in the test log while capturing it. */
    static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
