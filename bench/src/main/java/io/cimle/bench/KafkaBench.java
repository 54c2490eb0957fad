package io.cimle.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.cimle.cli.client.SampleClient;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.Sampler;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.FileSystemObjectStore;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutRequest;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The packaged generator service behind a real (loopback) broker against the same model called
 * in-process: latency at a steady moderate rate, throughput in a bounded burst. Every loop is
 * bounded in count and time.
 */
final class KafkaBench {
    static final String MODEL = "toy";
    static final int SAMPLES_PER_REQUEST = 4;

    private KafkaBench() {
    }

    static ObjectNode run(BenchOptions o) throws Exception {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        Path jar = o.root().resolve("generator-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            n.put("skipped", "no packaged service at " + jar + " (./mvnw -q -B package -DskipTests -pl generator-service -am)");
            return n;
        }
        ModelConfig config = Workloads.preset(o.kafkaPreset());
        Path store = Files.createTempDirectory("cimle-bench-store-");
        Checkpoint checkpoint = publish(store, config);
        ClassMap layout = new ToyScenes(config.width(), config.height()).sample(7, 0).layout();
        n.put("preset", config.presetName());
        n.put("samples_per_request", SAMPLES_PER_REQUEST);

        // Direct generation, half before and half after the Kafka phases (pooled): a load change on
        // the shared host during the run then weighs on both paths. The first half also sets the rate.
        int directRequests = o.quick() ? 8 : 40;
        List<Double> direct = new ArrayList<>();
        double[] directWallMs = {0};
        Sampler g = Sampler.fromCheckpoint(checkpoint, Device.cpu(), 16);
        Runnable directHalf = () -> {
            long start = System.nanoTime();
            for (int i = 0; i < directRequests / 2; i++) {
                long t = System.nanoTime();
                g.generate(layout, SAMPLES_PER_REQUEST, 1000 + direct.size());
                direct.add(Stats.msSince(t));
            }
            directWallMs[0] += Stats.msSince(start);
        };
        for (int i = 0; i < 3; i++) {
            g.generate(layout, SAMPLES_PER_REQUEST, i);
        }
        directHalf.run();
        double directRps = direct.size() * 1000.0 / directWallMs[0];
        ObjectNode d = n.putObject("direct");

        Path log = o.out().resolve("generator-service.log");
        Files.createDirectories(o.out());
        try (LocalKafkaBroker broker = LocalKafkaBroker.startTemporary()) {
            broker.createSystemTopics(1);
            int port = freePort();
            Process service = startService(jar, broker.bootstrapServers(), store, port, log);
            try (Requests client = new Requests(broker.bootstrapServers())) {
                double readyMs = awaitReady(service, port, Duration.ofSeconds(180));
                n.put("service_ready_ms", Stats.round(readyMs, 0));
                byte[] png = LayoutEncoder.classIdsPng(layout);
                for (int i = 0; i < 3; i++) { // warm-up: model load and first kernels
                    client.send("warm-" + i, png, i);
                }
                client.await(List.of("warm-0", "warm-1", "warm-2"), Duration.ofSeconds(120));

                // Steady rate at half the direct capacity: latency without queueing.
                double rate = Math.max(0.5, Math.min(20, directRps / 2));
                int steady = Math.max(3, (int) (rate * o.kafkaSeconds()));
                long periodNanos = (long) (1e9 / rate);
                List<String> ids = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int i = 0; i < steady && Stats.msSince(t0) < o.kafkaSeconds() * 1000.0 + 5000; i++) {
                    long due = t0 + i * periodNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String id = "steady-" + i;
                    client.send(id, png, 5000 + i);
                    ids.add(id);
                }
                client.await(ids, Duration.ofSeconds(60));
                List<Double> latency = client.latenciesMs(ids);
                ObjectNode k = n.putObject("kafka");
                k.put("rate_requests_per_s", Stats.round(rate, 2));
                k.put("requests", ids.size());
                k.put("p50_ms", Stats.round(Stats.percentile(latency, 50), 2));
                k.put("p99_ms", Stats.round(Stats.percentile(latency, 99), 2));

                // Bounded burst: everything sent at once, throughput from first send to last sample.
                int burst = o.quick() ? 8 : Math.max(16, Math.min(200, (int) (directRps * 10)));
                List<String> burstIds = new ArrayList<>();
                long b0 = System.nanoTime();
                for (int i = 0; i < burst; i++) {
                    String id = "burst-" + i;
                    client.send(id, png, 90_000 + i);
                    burstIds.add(id);
                }
                client.await(burstIds, Duration.ofSeconds(300));
                double burstMs = (client.lastDoneNanos(burstIds) - b0) / 1e6;
                k.put("burst_requests", burst);
                k.put("samples_per_s", Stats.round(burst * SAMPLES_PER_REQUEST * 1000.0 / burstMs, 2));
                k.put("steady_samples_per_s", Stats.round(ids.size() * SAMPLES_PER_REQUEST * 1000.0
                        / ((client.lastDoneNanos(ids) - t0) / 1e6), 2));
                directHalf.run();
                d.put("requests", direct.size());
                d.put("p50_ms", Stats.round(Stats.percentile(direct, 50), 2));
                d.put("p99_ms", Stats.round(Stats.percentile(direct, 99), 2));
                d.put("samples_per_s", Stats.round(direct.size() * SAMPLES_PER_REQUEST * 1000.0 / directWallMs[0], 2));
                n.put("latency_ratio", Stats.round(k.get("p50_ms").asDouble() / d.get("p50_ms").asDouble(), 2));
                n.put("p99_latency_ratio", Stats.round(k.get("p99_ms").asDouble() / d.get("p99_ms").asDouble(), 2));
                n.put("throughput_ratio", Stats.round(k.get("samples_per_s").asDouble()
                        / d.get("samples_per_s").asDouble(), 2));
            } finally {
                g.close();
                service.destroy();
                if (!service.waitFor(20, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
        }
        n.put("service_log", log.toString());
        return n;
    }

    /** Publishes a freshly initialised checkpoint as the trainer would (see TinyModelResource). */
    private static Checkpoint publish(Path root, ModelConfig config) throws IOException {
        try (GeneratorNetwork net = GeneratorNetwork.create(config, Device.cpu(), 1)) {
            Checkpoint c = Checkpoint.of(net, 100, 1, Map.of(Checkpoint.LABEL_SET_KEY, ToyScenes.labelSet().toJson()), Map.of());
            CheckpointStore store = new CheckpointStore(new FileSystemObjectStore(root), 10, true);
            store.publish(new CheckpointStore.Publication(MODEL, c.step(), c.epoch(), Map.of("loss", 1.0),
                    config.presetName(), config.width(), config.height()), c.toBytes());
            return c;
        }
    }

    private static Process startService(Path jar, String bootstrap, Path store, int port, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkafka.bootstrap.servers=" + bootstrap, "-Dcimle.storage.root=" + store,
                "-Dcimle.model.name=" + MODEL, "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + Workloads.threads()));
        if (System.getProperty("DJL_CACHE_DIR") != null) {
            cmd.add("-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR"));
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ONEDNN_MAX_CPU_ISA", "AVX2");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        // The service's libtorch uses as many threads as the in-process comparison (OpenMP reads this).
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(Workloads.threads()));
        return pb.start();
    }

    private static double awaitReady(Process service, int port, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        while (Stats.msSince(start) < timeout.toMillis()) {
            if (!service.isAlive()) {
                throw new IllegalStateException("generator service exited with " + service.exitValue()
                        + " before it was ready; see its log");
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/ready")
                        .toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return Stats.msSince(start);
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("generator service not ready within " + timeout);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The bench's requests: {@link SampleClient} with the bench's request form and per-phase summaries. */
    private static final class Requests implements AutoCloseable {
        private final SampleClient client;
        private final Map<String, Double> latencyMs = new ConcurrentHashMap<>();

        Requests(String bootstrap) {
            client = new SampleClient(bootstrap);
        }

        void send(String id, byte[] png, long seed) {
            LayoutRequest r = LayoutRequest.newBuilder().setRequestId(id)
                    .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS).setPng(ByteString.copyFrom(png)))
                    .setNumSamples(SAMPLES_PER_REQUEST).setSeed(seed).setHasSeed(true)
                    .setClientSentAtMs(System.currentTimeMillis()).build();
            client.sendAsync(id, r.toByteArray());
        }

        void await(List<String> ids, Duration timeout) throws TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (String id : ids) {
                SampleClient.Answer a = client.await(id, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (!a.ok()) {
                    throw new IllegalStateException("request " + id + " answered with an error: " + a.error());
                }
                latencyMs.put(id, a.latency().toNanos() / 1e6);
            }
        }

        List<Double> latenciesMs(List<String> ids) {
            return ids.stream().map(latencyMs::get).toList();
        }

        long lastDoneNanos(List<String> ids) {
            return ids.stream().mapToLong(id -> client.receipt(id).completedNanos()).max().orElseThrow();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
