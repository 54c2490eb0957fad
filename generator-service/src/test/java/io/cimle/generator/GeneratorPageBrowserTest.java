package io.cimle.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.kafka.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web page in a real headless Chromium (Debian's package, installed by scripts/ensure-test-tools.sh):
 * it loads the model, paints a scene, asks the REST API for samples and shows them.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TinyModelResource.class, restrictToAnnotatedClass = true)
class GeneratorPageBrowserTest {
    @TestHTTPResource("/")
    URL page;

    @Test
    void theGalleryShowsGeneratedSamples() throws Exception {
        Path chromium = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser")).stream()
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("Chromium is missing: run scripts/ensure-test-tools.sh"));
        Path profile = Files.createTempDirectory("chromium-profile");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=30000", "--dump-dom",
                page + "?autogen=3").redirectErrorStream(false).start();
        p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        assertTrue(dom.contains("id=\"grid\""), "page did not render: " + abbreviate(dom));
        Matcher count = Pattern.compile("id=\"grid\" data-count=\"(\\d+)\"").matcher(dom);
        assertTrue(count.find(), "no samples were shown: " + abbreviate(dom));
        assertEquals("3", count.group(1));
        Matcher images = Pattern.compile("<img src=\"data:image/png;base64,[A-Za-z0-9+/=]{40,}").matcher(dom);
        int n = 0;
        while (images.find()) {
            n++;
        }
        assertEquals(3, n, "three sample images in the grid");
        assertTrue(dom.contains("v000001"), "the model line names the loaded version");
    }

    private static String abbreviate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }
}
