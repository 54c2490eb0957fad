package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.cli.client.SampleClient;
import io.cimle.cli.demo.LocalStack;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.v1.GeneratedSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client ({@code clients/python}) against the real broker and generator: its classes generated
 * from the one .proto by Debian's protoc (the one that matches Debian's python3-protobuf, both installed by
 * scripts/ensure-test-tools.sh), its own tests (offline and against the generator), and the example of
 * docs/clients.md, whose samples must be byte-identical to the Java client's for the same seed.
 */
class PythonClientTest {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void thePythonClientGetsTheJavaClientsBytesForTheSameSeed(@TempDir Path dir) throws Exception {
        Path client = Ports.root().resolve("clients/python");
        Path classes = dir.resolve("gen");
        run(dir, Map.of(), client.resolve("generate-classes.sh").toString(), classes.toString());
        Path store = dir.resolve("store");
        Rig.publishTiny(store, 1);
        Path layout = dir.resolve("layout.png");
        Files.write(layout, Rig.layoutPng(3));
        try (LocalKafkaBroker broker = LocalKafkaBroker.startTemporary(); LocalStack stack = new LocalStack(dir.resolve("logs"))) {
            broker.createSystemTopics(2);
            String bootstrap = broker.bootstrapServers();
            LocalStack.Service generator = Rig.generator(stack, "generator", bootstrap, store, List.of());
            Rig.awaitReady(stack, generator);
            Map<String, String> env = Map.of("CIMLE_PB2_PATH", classes.toString(), "CIMLE_BOOTSTRAP", bootstrap,
                    "CIMLE_LAYOUT", layout.toString());
            String tests = run(client, env, PYTHON, "-m", "unittest", "-v", "test_cimle_client");
            assertTrue(tests.contains("OK") && !tests.contains("skipped"), tests);

            Path out = dir.resolve("py-samples");
            String example = run(client, env, PYTHON, "example.py", bootstrap, layout.toString(), "4", "42", out.toString());
            assertTrue(example.contains("same code, same image: True"), example);
            try (SampleClient java = new SampleClient(bootstrap)) {
                SampleClient.Answer a = java.request(Rig.request("java-same-seed", 3, 4).toBuilder().setSeed(42).build(),
                        Duration.ofMinutes(1));
                assertTrue(a.ok(), () -> "error: " + a.error());
                for (GeneratedSample s : a.samples()) {
                    assertArrayEquals(s.getImage().toByteArray(),
                            Files.readAllBytes(out.resolve(String.format("sample_%03d.png", s.getIndex()))),
                            "sample " + s.getIndex() + ": the same seed, the same bytes from Python and Java");
                }
                assertEquals(4, a.samples().size());
            }
            System.out.println("[clients] python client: " + example.trim().replace('\n', ';'));
        }
    }

    /** Runs a command in {@code dir}; its output, or an assertion naming it and its output when it fails. */
    private static String run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + text);
        return text;
    }
}
