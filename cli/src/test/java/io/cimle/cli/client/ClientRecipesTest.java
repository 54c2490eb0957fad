package io.cimle.cli.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cimle.cli.CimleCli;
import io.cimle.kafka.KafkaBrokerExtension;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutRequest;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Java client (via {@code cimle request}) and the kcat/protoc recipe, each answered by a fake generator. */
@ExtendWith(KafkaBrokerExtension.class)
class ClientRecipesTest {
    @TempDir
    Path dir;

    @Test
    void requestCommandWritesSamplesAndCodes(LocalKafkaBroker broker) throws Exception {
        Path layout = layoutPng(dir.resolve("layout.png"));
        Path out = dir.resolve("samples");
        try (FakeGenerator gen = new FakeGenerator(broker.bootstrapServers())) {
            assertEquals(0, CimleCli.run("request", "--layout", layout.toString(), "-n", "3", "--seed", "11",
                    "--bootstrap", broker.bootstrapServers(), "--out", out.toString(), "--timeout", "60"));
            LayoutRequest sent = gen.received.stream().filter(r -> r.getRequestId().startsWith("client-")).findFirst()
                    .orElseThrow();
            assertEquals(3, sent.getNumSamples());
            assertTrue(sent.getHasSeed());
            assertEquals(11, sent.getSeed());
            assertEquals(32, sent.getLayout().getWidth());
            assertEquals(16, sent.getLayout().getHeight());
        }
        byte[] png = Files.readAllBytes(layout);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(png, Files.readAllBytes(out.resolve(String.format("sample_%03d.png", i))));
            assertTrue(Files.readString(out.resolve(String.format("sample_%03d.code.json", i)))
                    .contains("\"seed\" : " + (11 + i)));
        }
        assertEquals(2, CimleCli.run("request", "--layout", dir.resolve("missing.png").toString(),
                "--bootstrap", broker.bootstrapServers(), "--out", out.toString()));
    }

    @Test
    void kcatRecipeEncodesProducesConsumesAndDecodes(LocalKafkaBroker broker) throws Exception {
        for (String tool : new String[] {"kcat", "protoc", "perl"}) {
            if (!onPath(tool)) {
                fail(tool + " is not on the PATH; run scripts/ensure-test-tools.sh (installs kcat and protobuf-compiler"
                        + " from Debian) before the tests");
            }
        }
        Path root = Path.of("").toAbsolutePath().getParent();
        Path script = root.resolve("scripts/kcat-request.sh");
        assertTrue(Files.isRegularFile(script), script.toString());
        Path layout = layoutPng(dir.resolve("layout.png"));
        Path out = dir.resolve("kcat-out");
        String printed;
        try (FakeGenerator gen = new FakeGenerator(broker.bootstrapServers())) {
            Process p = new ProcessBuilder("bash", script.toString(), "-b", broker.bootstrapServers(), "-n", "3",
                    "-s", "7", "-o", out.toString(), "-w", "45", layout.toString())
                    .redirectErrorStream(true).start();
            printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), printed);
            assertEquals(0, p.exitValue(), printed);
            // What protoc --encode built and kcat produced is the message a Java consumer reads, byte for byte.
            LayoutRequest sent = gen.received.stream().filter(r -> r.getRequestId().startsWith("kcat-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no kcat request reached the generator:\n" + printed));
            assertEquals(LayoutEncoding.CLASS_IDS, sent.getLayout().getEncoding());
            assertArrayEquals(Files.readAllBytes(layout), sent.getLayout().getPng().toByteArray());
            assertEquals(32, sent.getLayout().getWidth());
            assertEquals(16, sent.getLayout().getHeight());
            assertEquals(3, sent.getNumSamples());
            assertEquals(7, sent.getSeed());
            assertTrue(sent.getHasSeed());
            assertTrue(printed.contains("request_id: \"" + sent.getRequestId() + "\""), printed);
        }
        // protoc --decode's text, with the image bytes unescaped back into the very same PNG.
        assertTrue(printed.contains("model_version: \"" + FakeGenerator.MODEL_VERSION + "\""), printed);
        assertTrue(printed.contains("index: 2") && printed.contains("total: 3"), printed);
        assertTrue(printed.contains("seed: 9"), printed);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Files.readAllBytes(layout), Files.readAllBytes(out.resolve(String.format("sample_%03d.png", i))),
                    "sample " + i + "\n" + printed);
        }
    }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** A 32x16 class-id layout whose values include 10 and 13, so newline-unsafe handling would show. */
    static Path layoutPng(Path file) throws IOException {
        BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                img.getRaster().setSample(x, y, 0, new int[] {0, 10, 13, 255, 34, 92}[(x / 4 + y * 7) % 6]);
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
