package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.cli.client.SampleClient;
import io.cimle.core.data.Images;
import io.cimle.core.data.RgbImage;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.LayoutImagePair;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU images (not the jars), built by deploy/scripts/build-images.sh from the packaged services and
 * run with podman as deploy/base runs them: uid/gid 185, read-only root with the manifests' emptyDirs as
 * tmpfs, capabilities dropped, no privilege escalation, their memory limits and environment, host network
 * to the in-process broker on loopback. The trainer container stores the pairs produced to Kafka and
 * writes a checkpoint to the filesystem store (a host volume at the manifests' CIMLE_STORAGE_ROOT); a
 * generator container loads it and answers a request over Kafka with the samples asked for; health and
 * metrics answer inside each container. Skipped, saying why, where podman cannot run a container.
 */
class ContainerImagesTest {
    private static final Duration START = Duration.ofMinutes(3);
    private static final int PAIRS = 12;
    private static final int SAMPLES = 3;

    private static Podman podman;
    private static Path root;
    private static ManifestContainer trainer;
    private static ManifestContainer generator;

    /**
     * Builds (or finds up to date) the CPU images from the quarkus-app directories ./mvnw verify packaged.
     * Per test, not @BeforeAll: a skip there would show as no test at all, here each test reports it.
     */
    @BeforeEach
    void buildImages() throws Exception {
        if (podman != null) {
            return;
        }
        Podman probed = Podman.probe();
        root = Ports.root().toAbsolutePath().normalize();
        long t0 = System.nanoTime();
        Podman.Result build = Podman.exec(List.of(root.resolve("deploy/scripts/build-images.sh").toString(),
                "--no-maven", "--offline"), 900).orFail("deploy/scripts/build-images.sh");
        build.out().lines().forEach(line -> System.out.println("[images] " + line));
        System.out.printf("[images] build step %.1f s%n", (System.nanoTime() - t0) / 1e9);
        trainer = ManifestContainer.of(root, "trainer");
        generator = ManifestContainer.of(root, "generator");
        for (ManifestContainer m : List.of(trainer, generator)) {
            assertTrue(build.out().contains(m.image()), "built " + m.image() + ": " + build.out());
            assertNotEquals(0L, m.runAsUser(), "the manifests run as non-root");
            assertEquals(m.runAsUser() + ":" + m.runAsGroup(), probed.run(30, "image", "inspect", "--format",
                    "{{.Config.User}}", m.image()).orFail("inspect").out(), "the image's own user is the manifests'");
        }
        podman = probed;
    }

    /**
     * A generator configured for the GPU where none is visible stops at start-up, non-zero, with one line
     * saying so (DeviceCheck), instead of staying up and never ready. The CPU image shows it here; the
     * -cuda image (./cimle images --cuda, not built by the tests) is run too when it is in the store.
     */
    @Test
    void aGpuConfiguredGeneratorWithoutAGpuStopsAtStartUpSayingSo() throws Exception {
        List<String> images = new ArrayList<>(List.of(generator.image()));
        String cuda = generator.image().replaceFirst(":([^:/]+)$", ":$1-cuda");
        if (podman.run(30, "image", "exists", cuda).exit() == 0) {
            images.add(cuda);
        } else {
            System.out.println("[images] " + cuda + " is not built here (./cimle images --cuda): checked the CPU image only");
        }
        for (String image : images) {
            String name = "cimle-e2e-nogpu-" + UUID.randomUUID().toString().substring(0, 8);
            Map<String, String> env = generator.environment(name, Map.of(
                    "CIMLE_MODEL_DEVICE", "gpu", // as deploy/overlays/gpu sets it
                    "CIMLE_STORAGE_KIND", "filesystem",
                    "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + Ports.free(), // never reached
                    "QUARKUS_HTTP_PORT", Integer.toString(Ports.free())));
            List<String> args = generator.runArguments(name, env, Map.of());
            args.set(args.indexOf(generator.image()), image);
            long t0 = System.nanoTime();
            try {
                podman.run(120, runCommand(args)).orFail("podman run " + name);
                Podman.Result exit = podman.run(180, "wait", name).orFail("podman wait " + name);
                double seconds = (System.nanoTime() - t0) / 1e9;
                String logs = podman.logs(name);
                assertNotEquals("0", exit.out(), "exits non-zero: " + logs);
                String line = logs.lines().filter(l -> l.contains("ERROR [io.cimle.service.DeviceCheck]")).findFirst()
                        .orElseThrow(() -> new AssertionError("no DeviceCheck error in: " + logs));
                assertTrue(line.contains("device gpu configured but no CUDA GPU is visible: "), line);
                assertFalse(logs.contains("Failed to save pytorch index file"), "no download attempt: " + logs);
                System.out.printf("[images] %s with device gpu and no GPU: exit %s after %.1f s: %s%n", image, exit.out(),
                        seconds, line.substring(line.indexOf("device gpu")));
            } finally {
                podman.removeQuietly(name);
            }
        }
    }

    @Test
    void theCpuImagesTrainAndServeAsTheManifestsRunThem(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();

        Path store = Files.createDirectories(dir.resolve("store"));
        // uid 185 writes here, as into the cluster's volume.
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxrwxrwx"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<String> started = new ArrayList<>();
        try (LocalKafkaBroker broker = LocalKafkaBroker.startTemporary()) {
            broker.createSystemTopics(2);
            String bootstrap = broker.bootstrapServers(); // 127.0.0.1:<free port>: reached through the host network

            // --- trainer: ingests pairs, trains a tiny model briefly, checkpoints to the volume ---
            int trainerPort = Ports.free();
            String trainerName = "cimle-e2e-trainer-" + suffix;
            Map<String, String> trainerEnv = trainer.environment(trainerName, Map.ofEntries(
                    Map.entry("KAFKA_BOOTSTRAP_SERVERS", bootstrap),
                    Map.entry("CIMLE_STORAGE_KIND", "filesystem"),
                    Map.entry("CIMLE_TRAINER_LEADER_ELECTION_ENABLED", "false"), // no Kubernetes API here
                    Map.entry("QUARKUS_HTTP_PORT", Integer.toString(trainerPort)),
                    Map.entry("CIMLE_TRAINER_PRESET", "tiny"),
                    Map.entry("CIMLE_TRAINER_MIN_DATASET_SIZE", "8"),
                    Map.entry("CIMLE_TRAINER_CHECKPOINT_EVERY_STEPS", "4"),
                    Map.entry("CIMLE_TRAINER_IMLE_EXAMPLES", "8"),
                    Map.entry("CIMLE_TRAINER_IMLE_CANDIDATES", "2"),
                    Map.entry("CIMLE_TRAINER_IMLE_STEPS", "4"),
                    Map.entry("CIMLE_TRAINER_IMLE_DECAY", "false")));
            String storeRoot = trainerEnv.get("CIMLE_STORAGE_ROOT");
            started.add(trainerName);
            podman.run(120, runCommand(trainer.runArguments(trainerName, trainerEnv, Map.of(storeRoot, store))))
                    .orFail("podman run " + trainerName);
            awaitReady(podman, trainerName, trainerPort);

            Set<String> ids = new HashSet<>();
            try (KafkaProducer<String, byte[]> p = Rig.producer(bootstrap)) {
                for (int i = 0; i < PAIRS; i++) {
                    LayoutImagePair pair = Rig.pair("img-pair-" + i, 5, i);
                    ids.add(pair.getId());
                    p.send(new ProducerRecord<>(Topics.LAYOUTS_TRAINING, pair.getId(), pair.toByteArray()));
                }
                p.flush();
            }
            long deadline = System.nanoTime() + START.toNanos();
            Optional<CheckpointInfo> checkpoint = Optional.empty();
            while ((Rig.storedPairs(store).size() < PAIRS || checkpoint.isEmpty()) && System.nanoTime() < deadline) {
                Rig.sleep(1000);
                checkpoint = Rig.checkpoints(store).latest(Rig.MODEL);
                assertRunning(podman, trainerName);
            }
            assertEquals(PAIRS, Rig.storedPairs(store).size(), () -> "pairs stored on the volume; " + podman.logs(trainerName));
            assertTrue(checkpoint.isPresent(), () -> "a checkpoint on the volume; " + podman.logs(trainerName));
            System.out.printf("[images] trainer container: %d pairs stored, checkpoint %s (step %d) on the host volume%n",
                    PAIRS, checkpoint.get().version(), checkpoint.get().step());
            assertInside(podman, trainer, trainerName, trainerPort, "cimle_trainer_pairs_ingested_total", PAIRS);

            // --- generator: loads the checkpoint from the volume, answers over Kafka ---
            int generatorPort = Ports.free();
            String generatorName = "cimle-e2e-generator-" + suffix;
            Map<String, String> generatorEnv = generator.environment(generatorName, Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "CIMLE_STORAGE_KIND", "filesystem",
                    "QUARKUS_HTTP_PORT", Integer.toString(generatorPort)));
            assertEquals(storeRoot, generatorEnv.get("CIMLE_STORAGE_ROOT"), "both read the same store path");
            started.add(generatorName);
            podman.run(120, runCommand(generator.runArguments(generatorName, generatorEnv, Map.of(storeRoot, store))))
                    .orFail("podman run " + generatorName);
            awaitReady(podman, generatorName, generatorPort); // ready = a model is loaded

            try (SampleClient client = new SampleClient(bootstrap)) {
                SampleClient.Answer answer = client.request(Rig.request("img-req-1", 3, SAMPLES), Duration.ofMinutes(2));
                assertTrue(answer.ok(), () -> "answered without error: " + answer.error());
                assertEquals(SAMPLES, answer.samples().size(), "samples asked for");
                Set<Integer> indices = new HashSet<>();
                for (GeneratedSample s : answer.samples()) {
                    indices.add(s.getIndex());
                    RgbImage img = Images.decode(s.getImage().toByteArray());
                    assertEquals(Rig.WIDTH, img.width());
                    assertEquals(Rig.HEIGHT, img.height());
                    assertFalse(s.getModelVersion().isEmpty(), "names the model version");
                }
                assertEquals(Set.of(0, 1, 2), indices, "one sample per index");
                System.out.printf("[images] generator container: %d samples over Kafka in %d ms from model %s%n",
                        SAMPLES, answer.latency().toMillis(), answer.samples().get(0).getModelVersion());
            }
            assertInside(podman, generator, generatorName, generatorPort, "cimle_generator_samples_total", SAMPLES);
        } finally {
            for (String name : started) {
                podman.removeQuietly(name);
            }
        }
        System.out.printf("[images] whole test %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static List<String> runCommand(List<String> runArguments) {
        List<String> cmd = new ArrayList<>(List.of("run"));
        cmd.addAll(runArguments);
        return cmd;
    }

    /** Ready as Kubernetes' probe sees it: /q/health/ready answers 200 (polled from the host: same network). */
    private static void awaitReady(Podman podman, String name, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START.toNanos();
        int status = -1;
        while (System.nanoTime() < deadline) {
            assertRunning(podman, name);
            try {
                status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Rig.sleep(1000);
        }
        throw new AssertionError(name + " not ready within " + START + " (last status " + status + "): " + podman.logs(name));
    }

    private static void assertRunning(Podman podman, String name) throws IOException {
        String state = podman.run(30, "inspect", "--format", "{{.State.Status}}", name).out();
        if (!"running".equals(state)) {
            throw new AssertionError(name + " is " + state + ": " + podman.logs(name));
        }
    }

    /**
     * From inside the container: health and metrics answer, the service runs as the manifests' user, the
     * root is read-only, and DJL found its bundled libtorch under the emptyDir (no download).
     */
    private static void assertInside(Podman podman, ManifestContainer m, String name, int port, String counter, int atLeast)
            throws IOException {
        String ready = podman.httpGetInside(name, port, "/q/health/ready").orFail("GET /q/health/ready inside " + name).out();
        assertTrue(ready.startsWith("HTTP/1.") && ready.contains(" 200 "), ready);
        assertTrue(ready.contains("\"status\": \"UP\""), ready);
        String metrics = podman.httpGetInside(name, port, "/q/metrics").orFail("GET /q/metrics inside " + name).out();
        assertTrue(metrics.contains(" 200 "), () -> metrics.lines().findFirst().orElse(""));
        double value = Rig.metric(metrics, counter, null);
        assertTrue(value >= atLeast, counter + " = " + value + " inside " + name);

        String uid = podman.run(30, "exec", name, "sh", "-c", "grep '^Uid:' /proc/1/status").orFail("uid").out();
        assertTrue(uid.matches("Uid:\\s+" + m.runAsUser() + "\\s+" + m.runAsUser() + "\\s.*"), "the service's uid: " + uid);
        Podman.Result write = podman.run(30, "exec", name, "sh", "-c", "touch /deployments/x");
        assertNotEquals(0, write.exit(), "the root file system is read-only");
        assertTrue(write.out().contains("Read-only file system"), write.out());
        String cache = podman.run(30, "exec", name, "sh", "-c", "ls \"$DJL_CACHE_DIR\"/pytorch").orFail("ls DJL cache").out();
        assertTrue(cache.contains("cpu"), "libtorch extracted from the jar into the DJL cache emptyDir: " + cache);
        String logs = podman.logs(name);
        assertFalse(logs.contains("Downloading"), "nothing downloaded at run time");
        System.out.printf("[images] inside %s: ready 200, %s = %.0f, uid %d, root read-only, libtorch %s%n", name, counter,
                value, m.runAsUser(), cache.replace('\n', ' '));
    }
}
