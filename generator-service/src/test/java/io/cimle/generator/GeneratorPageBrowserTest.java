package io.cimle.generator;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.InstanceFormat;
import io.cimle.core.data.LayoutComponents;
import io.cimle.core.data.LayoutDecoder;
import io.cimle.core.data.LayoutFormat;
import io.cimle.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The web page as a person uses it, in Debian's headless Chromium driven by playwright-core
 * ({@code src/test/page/page-check.mjs}; both installed by scripts/ensure-test-tools.sh): paint with the
 * mouse, generate from a typed 64-bit seed, keep a sample's style and generate with it, edit the scene,
 * shift-click a pair and interpolate, and the mistakes (bad seed, unknown colour). The script checks what
 * the page shows against the replies it got; this test asserts its exit code, then checks the script's
 * record against the API itself: the layout it sent holds the strokes painted, and the same request
 * posted from Java gives the very seeds (parsed as {@code long}, so no rounding) and PNG bytes shown.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TinyModelResource.class, restrictToAnnotatedClass = true)
class GeneratorPageBrowserTest {
    private static final String SETUP = "run scripts/ensure-test-tools.sh";
    private static final long TIMEOUT_S = 180;

    @TestHTTPResource("/")
    URL page;

    @Test
    void aUserPaintsGeneratesKeepsAStyleAndInterpolates() throws Exception {
        JsonNode report = runPageCheck();

        // what the script recorded must be there and say the checks held
        assertTrue(report.path("ok").asBoolean(), "page check: " + report.path("failures"));
        assertEquals(0, report.path("failures").size(), "page check: " + report.path("failures"));
        JsonNode grid = report.path("grid");
        assertEquals(4, grid.size(), "samples shown after Generate: " + grid);
        assertEquals(3, report.path("autogen").size(), "?autogen=3: " + report.path("autogen"));

        // the painted strokes reached the server: the layout the page sent holds each class along its path
        JsonNode request = report.path("request");
        BufferedImage layout = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(request.path("layoutPng").asText())));
        assertEquals(TinyModelResource.config().width(), layout.getWidth());
        assertEquals(TinyModelResource.config().height(), layout.getHeight());
        JsonNode road = report.path("strokes").path(0);
        assertEquals("road", road.path("class").asText());
        assertStrokeIn(layout, road);
        BufferedImage edited = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(report.path("edited").path("layoutPng").asText())));
        assertStrokeIn(edited, report.path("strokes").path(1));

        // two touching car strokes painted as two objects: the map the page sent makes them two objects here
        JsonNode objects = report.path("objects");
        ClassMap painted = new LayoutDecoder(TinyModelResource.labels(), LayoutFormat.COLORS).decode(
                Base64.getDecoder().decode(objects.path("layoutPng").asText()),
                Base64.getDecoder().decode(objects.path("instancesPng").asText()), InstanceFormat.INSTANCE_IDS);
        LayoutComponents components = LayoutComponents.of(painted);
        JsonNode first = report.path("strokes").path(objects.path("strokes").path(0).asInt()).path("path").path(0);
        JsonNode second = report.path("strokes").path(objects.path("strokes").path(1).asInt()).path("path").path(0);
        int a = components.componentAt(first.get(1).asInt() * painted.width() + first.get(0).asInt());
        int b = components.componentAt(second.get(1).asInt() * painted.width() + second.get(0).asInt());
        assertNotEquals(a, b, "the two painted objects");
        assertEquals(components.componentAt(first.get(1).asInt() * painted.width() + first.get(0).asInt() + 1), a,
                "one stroke, one object");
        LayoutComponents blobs = LayoutComponents.of(painted.withInstances(null));
        assertEquals(blobs.componentAt(first.get(1).asInt() * painted.width() + first.get(0).asInt()),
                blobs.componentAt(second.get(1).asInt() * painted.width() + second.get(0).asInt()),
                "without the map the strokes touch: one blob");

        // the captions are the server's exact 64-bit seeds: the same request from Java, read as long
        String body = given().contentType(ContentType.JSON)
                .body(Map.of("layoutPng", request.path("layoutPng").asText(), "encoding", request.path("encoding").asText(),
                        "palette", request.path("palette").asText(), "numSamples", request.path("numSamples").asInt(),
                        "seed", request.path("seed").asText()))
                .post("/api/generate").then().statusCode(200).extract().asString();
        JsonNode direct = new ObjectMapper().readTree(body);
        List<Long> seeds = seedsOf(body);
        assertEquals(4, seeds.size(), body);
        boolean beyondDouble = false;
        for (int i = 0; i < grid.size(); i++) {
            long seed = seeds.get(i);
            assertEquals("seed " + seed, grid.get(i).path("caption").asText(), "caption " + i);
            assertEquals(Long.toString(seed), grid.get(i).path("seed").asText(), "seed " + i);
            assertEquals(sha256(direct.path("samples").get(i).path("png").asText()), grid.get(i).path("pngSha256").asText(),
                    "image " + i + " is the one the API gives for that layout and seed");
            beyondDouble |= Math.abs((double) seed) >= 0x1p53;
        }
        assertTrue(beyondDouble, "some seed is beyond 2^53, where a double rounds: " + seeds);

        // the kept style: the seed sent back is the clicked sample's, and the image shown is the clicked one
        JsonNode kept = report.path("kept");
        int k = kept.path("index").asInt();
        assertEquals(Long.toString(seeds.get(k)), kept.path("sentSeed").asText());
        assertEquals(grid.get(k).path("pngSha256").asText(), kept.path("shownSha256").asText(), "kept style: " + kept);
        assertEquals("seed " + seeds.get(k), kept.path("shownCaption").asText());
        assertEquals(Long.toString(seeds.get(k)), report.path("edited").path("seed").asText(), "the edited scene keeps the seed");
        assertNotEquals(kept.path("clickedSha256").asText(), report.path("edited").path("pngSha256").asText());

        // the interpolation: between the two shift-clicked samples' seeds, ends equal to them
        JsonNode in = report.path("interpolation");
        assertEquals(Long.toString(seeds.get(0)), in.path("fromSeed").asText());
        assertEquals(Long.toString(seeds.get(3)), in.path("toSeed").asText());
        JsonNode frames = in.path("frames");
        assertEquals(in.path("steps").asInt(), frames.size());
        assertTrue(frames.size() >= 3, "frames: " + frames);
        assertEquals(0.0, frames.get(0).path("t").asDouble());
        assertEquals(1.0, frames.get(frames.size() - 1).path("t").asDouble());
        assertEquals("[true,true]", in.path("endsAreTheSamples").toString(), "end frames are the chosen samples");

        // the mistakes are refused with a message on the page
        assertTrue(report.path("badSeed").asText().contains("whole number"), report.path("badSeed").asText());
        assertTrue(report.path("unknownColour").asText().startsWith("LAYOUT_UNKNOWN_CLASS"), report.path("unknownColour").asText());
    }

    /** Every pixel on the stroke's path has its class's colour in the palette. */
    private static void assertStrokeIn(BufferedImage layout, JsonNode stroke) {
        int[] colour = TinyModelResource.labels().colours().get(stroke.path("classId").asInt());
        assertEquals(stroke.path("class").asText(), TinyModelResource.labels().classNames().get(stroke.path("classId").asInt()));
        assertTrue(stroke.path("path").size() > 5, "stroke path: " + stroke);
        for (JsonNode p : stroke.path("path")) {
            int rgb = layout.getRGB(p.get(0).asInt(), p.get(1).asInt());
            assertArrayEquals(colour, new int[] {(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255},
                    stroke.path("class").asText() + " at " + p);
        }
    }

    /** Seeds as written in the raw reply; they must be JSON strings. */
    private static List<Long> seedsOf(String json) {
        assertTrue(!Pattern.compile("\"seed\"\\s*:\\s*-?[0-9]").matcher(json).find(), "seeds must be JSON strings");
        List<Long> seeds = new ArrayList<>();
        Matcher m = Pattern.compile("\"seed\"\\s*:\\s*\"(-?[0-9]+)\"").matcher(json);
        while (m.find()) {
            seeds.add(Long.parseLong(m.group(1)));
        }
        return seeds;
    }

    private static String sha256(String base64) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64)));
    }

    /** Runs page-check.mjs against this service; fails naming the setup script when a tool is missing. */
    private JsonNode runPageCheck() throws Exception {
        Path dir = Stream.of(Path.of("src/test/page"), Path.of("generator-service/src/test/page"))
                .filter(d -> Files.isRegularFile(d.resolve("page-check.mjs"))).findFirst()
                .orElseThrow(() -> new AssertionError("page-check.mjs not found under src/test/page"));
        Path node = onPath("node").orElseThrow(() -> new AssertionError("node (Node.js >= 20) is missing: " + SETUP));
        if (!Files.isRegularFile(dir.resolve("node_modules/playwright-core/package.json"))) {
            fail("playwright-core is not installed in " + dir.toAbsolutePath() + "/node_modules (npm ci): " + SETUP);
        }
        Path chromium = Stream.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser")).filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new AssertionError("Chromium is missing: " + SETUP));
        Path stderr = Files.createTempFile("page-check", ".err");
        ProcessBuilder pb = new ProcessBuilder(node.toString(), "page-check.mjs", page.toString()).directory(dir.toFile())
                .redirectError(stderr.toFile());
        pb.environment().put("CHROMIUM", chromium.toString());
        Process p = pb.start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes(); // the script's own watchdog ends it within 150 s
        }
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("page-check.mjs did not finish in " + TIMEOUT_S + " s");
        }
        String stdout = new String(out, StandardCharsets.UTF_8);
        String err = Files.readString(stderr);
        Files.deleteIfExists(stderr);
        Path target = dir.toAbsolutePath().resolve("../../../target").normalize();
        Files.createDirectories(target);
        Files.writeString(target.resolve("page-check.json"), stdout); // what the page showed, for a look after a failure
        if (p.exitValue() == 2) {
            fail("page-check.mjs: a tool is missing: " + err.strip());
        }
        JsonNode report;
        try {
            report = new ObjectMapper().readTree(stdout);
        } catch (Exception e) {
            throw new AssertionError("page-check.mjs exited " + p.exitValue() + " without a JSON report; stderr: "
                    + abbreviate(err) + "; stdout: " + abbreviate(stdout), e);
        }
        assertEquals(0, p.exitValue(), "page-check.mjs failed: " + report.path("failures") + (err.isBlank() ? "" : "; stderr: " + abbreviate(err)));
        return report;
    }

    private static Optional<Path> onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).filter(s -> !s.isEmpty())
                .map(s -> Path.of(s, command)).filter(Files::isExecutable).findFirst();
    }

    private static String abbreviate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }
}
