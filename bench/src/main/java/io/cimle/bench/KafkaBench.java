package io.cimle.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.cimle.cli.client.SampleClient;
import io.cimle.cli.demo.LocalStack;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Sampler;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.FileSystemObjectStore;
import io.cimle.kafka.FreePorts;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The packaged generator service behind a real (loopback) broker against the same model called
 * in-process, as latency-throughput curves: closed-loop clients from one request at a time to
 * saturation (see {@link ClosedLoop}), for the direct call and the Kafka path, at each preset, with
 * two generators in one group for the last point; plus the transport's floor (a bare echo through
 * the same broker with the same client settings). Every loop is bounded in time.
 */
final class KafkaBench {
    static final String MODEL = "toy";
    static final int SAMPLES_PER_REQUEST = 4;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
    /** Slices per path of the one-at-a-time window. */
    private static final int ROUNDS = 6;

    private KafkaBench() {
    }

    static ObjectNode run(BenchOptions o) throws Exception {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        Path jar = o.root().resolve("generator-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            n.put("skipped", "no packaged service at " + jar + " (./mvnw -q -B package -DskipTests -pl generator-service -am)");
            return n;
        }
        n.put("samples_per_request", SAMPLES_PER_REQUEST);
        List<Integer> levels = o.quick() ? List.of(1, 4) : List.of(1, 2, 4, 8, 16);
        Duration point = Duration.ofSeconds(o.quick() ? 2 : Math.max(3, o.kafkaSeconds() / 5));
        n.put("seconds_per_point", point.toSeconds());
        Files.createDirectories(o.out());
        ObjectNode curves = n.putObject("presets");
        try (LocalKafkaBroker broker = LocalKafkaBroker.startTemporary()) {
            for (String preset : o.kafkaPresets()) {
                // The largest preset gets one point (one request at a time): its forward dominates.
                boolean full = !preset.equals("medium") || o.kafkaPresets().size() == 1;
                curves.set(preset, preset(o, jar, broker, preset, full ? levels : List.of(1), full, point));
            }
        }
        try {
            n.put("plot", CurvePlot.write(curves, o.out().resolve("kafka-curve.png")).toString());
        } catch (Exception | Error e) { // a host without fonts still gets the table
            n.put("plot_error", e.toString());
        }
        return n;
    }

    /** One preset: echo floor, direct curve, Kafka curve, and the last point again with a second generator. */
    private static ObjectNode preset(BenchOptions o, Path jar, LocalKafkaBroker broker, String presetName,
            List<Integer> levels, boolean twoGenerators, Duration point) throws Exception {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ModelConfig config = Workloads.preset(presetName);
        Path store = Files.createTempDirectory("cimle-bench-store-");
        Checkpoint checkpoint = publish(store, config);
        ClassMap layout = new ToyScenes(config.width(), config.height()).sample(7, 0).layout();
        byte[] png = LayoutEncoder.classIdsPng(layout);
        String requests = "bench." + presetName + ".requests";
        String replies = "bench." + presetName + ".samples";
        String echoRequests = "bench." + presetName + ".echo.requests";
        String echoReplies = "bench." + presetName + ".echo.samples";
        broker.createTopics(List.of(requests, replies, echoRequests, echoReplies), 2);

        // The echo is a process of its own, as the generator is: the floor pays the same process switches.
        Process echo = EchoResponder.startProcess(broker.bootstrapServers(), echoRequests, echoReplies);
        try (LocalStack services = new LocalStack(o.out());
             Requests echoClient = new Requests(broker.bootstrapServers(), echoRequests, echoReplies, png);
             Requests client = new Requests(broker.bootstrapServers(), requests, replies, png);
             Sampler g = Sampler.fromCheckpoint(checkpoint, Device.cpu(), 16)) {
            long starting = System.nanoTime();
            startGenerator(services, "generator-service-" + presetName, jar, broker.bootstrapServers(), store, requests,
                    replies);
            n.put("service_ready_ms", Stats.round(Stats.msSince(starting), 0));
            echoClient.warm(3);
            client.warm(3);
            // One forward at a time in arrival order (a fair lock: a FIFO queue), as a server without
            // cross-request batching would run them.
            ReentrantLock queue = new ReentrantLock(true);
            ClosedLoop.Call direct = (c, i) -> {
                long t = System.nanoTime();
                queue.lock();
                try {
                    g.generate(layout, SAMPLES_PER_REQUEST, 1000L * c + i);
                } finally {
                    queue.unlock();
                }
                return Stats.msSince(t);
            };
            // JIT warm-up of the broker, both ends and the in-process model, discarded.
            ClosedLoop.run(4, point, SAMPLES_PER_REQUEST, echoClient::call);
            ClosedLoop.run(4, point, SAMPLES_PER_REQUEST, client::call);
            ClosedLoop.run(1, point.dividedBy(2), SAMPLES_PER_REQUEST, direct);
            client.breakdown.clear();
            // The direct call again, each after idling as long as the transport's floor: what the
            // forward costs on a core that waited for Kafka, as the service's does (on a shared host an
            // idle core loses its caches and clock; the tight loop above never idles).
            long idleMs = Math.max(1, Math.round(ClosedLoop.run(1, point.dividedBy(4), SAMPLES_PER_REQUEST,
                    echoClient::call).path("p50_ms").asDouble()));
            ClosedLoop.Call directAfterIdle = (c, i) -> {
                Thread.sleep(idleMs);
                return direct.call(c, i);
            };
            // One request at a time, the paths in alternating slices of one window: a drifting
            // machine (another process, a throttled core) moves all of them alike, so their ratio holds.
            Map<String, ObjectNode> one = ClosedLoop.interleaved(Map.of("echo", echoClient::call, "direct", direct,
                    "direct_after_idle", directAfterIdle, "kafka", client::call), point, ROUNDS, SAMPLES_PER_REQUEST);
            n.putArray("echo").add(one.get("echo"));
            n.put("idle_ms", idleMs);
            n.putArray("direct_after_idle").add(one.get("direct_after_idle"));
            n.set("kafka_one_at_a_time_split_ms", client.split());
            ArrayNode directCurve = n.putArray("direct").add(one.get("direct"));
            directCurve.addAll(points(levels.subList(1, levels.size()), point, direct));
            ArrayNode kafka = n.putArray("kafka").add(one.get("kafka"));
            kafka.addAll(points(levels.subList(1, levels.size()), point, client::call));
            if (twoGenerators) {
                startGenerator(services, "generator-service-" + presetName + "-2", jar, broker.bootstrapServers(), store,
                        requests, replies);
                client.warm(8); // rides out the rebalance: both generators answer before the point starts
                n.set("kafka_two_generators", points(List.of(levels.get(levels.size() - 1)), point, client::call));
            }
        } finally {
            echo.getOutputStream().close();
            if (!echo.waitFor(20, TimeUnit.SECONDS)) {
                echo.destroyForcibly();
            }
        }
        summarise(n);
        return n;
    }

    /**
     * The packaged generator service on the bench's topics with its shipped settings, as many libtorch threads as
     * the in-process comparison; waits until it is ready. CIMLE_BENCH_GENERATOR_JAVA_OPTS adds JVM flags (a
     * profiler, a heap size), space-separated.
     */
    private static void startGenerator(LocalStack services, String name, Path jar, String bootstrap, Path store,
                                       String requestTopic, String replyTopic) throws Exception {
        int port = FreePorts.next();
        List<String> args = new ArrayList<>(List.of("-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dcimle.storage.root=" + store, "-Dcimle.model.name=" + MODEL, "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1", "-Dcimle.generator.requests.topic=" + requestTopic,
                "-Dmp.messaging.outgoing.samples.topic=" + replyTopic,
                "-Dai.djl.pytorch.num_threads=" + Workloads.threads()));
        String extra = System.getenv("CIMLE_BENCH_GENERATOR_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            args.addAll(List.of(extra.trim().split("\\s+")));
        }
        args.addAll(List.of("-jar", jar.toString()));
        LocalStack.Service s = services.startJava(name, args,
                Map.of("OMP_NUM_THREADS", Integer.toString(Workloads.threads())), port);
        services.awaitHttp(s, "/q/health/ready", Duration.ofSeconds(180));
    }

    private static ArrayNode points(List<Integer> levels, Duration length, ClosedLoop.Call call) throws Exception {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (int clients : levels) {
            a.add(ClosedLoop.run(clients, length, SAMPLES_PER_REQUEST, call));
        }
        return a;
    }

    /** The ratios the targets read: one request at a time against the floor, and throughput at 8+ clients. */
    private static void summarise(ObjectNode n) {
        JsonNode direct1 = n.path("direct").path(0);
        JsonNode kafka1 = n.path("kafka").path(0);
        double echo = n.path("echo").path(0).path("p50_ms").asDouble();
        double overhead = kafka1.path("p50_ms").asDouble() - direct1.path("p50_ms").asDouble();
        n.put("kafka_minus_direct_p50_ms", Stats.round(overhead, 2));
        n.put("echo_p50_ms", echo);
        n.put("overhead_over_echo", Stats.round(overhead / echo, 2));
        n.put("latency_ratio", Stats.round(kafka1.path("p50_ms").asDouble() / direct1.path("p50_ms").asDouble(), 2));
        if (n.has("direct_after_idle")) {
            // The part of the overhead that is the service's own: against a forward that also started on an idle core.
            double idle = kafka1.path("p50_ms").asDouble() - n.path("direct_after_idle").path(0).path("p50_ms").asDouble();
            n.put("kafka_minus_idle_direct_p50_ms", Stats.round(idle, 2));
            n.put("idle_overhead_over_echo", Stats.round(idle / echo, 2));
        }
        double directRate = direct1.path("samples_per_s").asDouble();
        double best = 0;
        double bestP99 = 0;
        int bestClients = 0;
        for (JsonNode p : n.path("kafka")) {
            if (p.path("clients").asInt() >= 8 && p.path("samples_per_s").asDouble() > best) {
                best = p.path("samples_per_s").asDouble();
                bestP99 = p.path("p99_ms").asDouble();
                bestClients = p.path("clients").asInt();
            }
        }
        if (bestClients > 0) {
            n.put("throughput_ratio_8plus", Stats.round(best / directRate, 2));
            n.put("throughput_8plus_clients", bestClients);
            n.put("throughput_8plus_p99_ms", bestP99);
        }
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

    /** The bench's requests through {@link SampleClient}, one closed-loop call each. */
    private static final class Requests implements AutoCloseable {
        private final SampleClient client;
        private final byte[] png;
        private final String prefix = Long.toString(System.nanoTime(), 36);
        private final AtomicLong ids = new AtomicLong();

        Requests(String bootstrap, String requestTopic, String replyTopic, byte[] png) {
            this.client = new SampleClient(bootstrap, requestTopic, replyTopic);
            this.png = png;
        }

        /** Sends {@code n} requests at once and waits for all: model load, first kernels, rebalances. */
        void warm(int n) throws TimeoutException {
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.add(send(i));
            }
            for (String id : sent) {
                answer(id);
            }
        }

        /** Per answer: ms from send to the generator's receipt, receipt to the last sample's publication, and the rest. */
        final List<double[]> breakdown = Collections.synchronizedList(new ArrayList<>());

        double call(int clientIndex, int i) throws TimeoutException {
            long sentAt = System.currentTimeMillis();
            SampleClient.Answer a = answer(send(1_000_000L * clientIndex + i));
            double latency = a.latency().toNanos() / 1e6;
            var t = a.samples().get(a.samples().size() - 1).getTimings();
            if (t.getReceivedAtMs() > 0) {
                double in = t.getReceivedAtMs() - sentAt;
                double generator = t.getPublishedAtMs() - t.getReceivedAtMs();
                breakdown.add(new double[] {in, generator, latency - in - generator, t.getQueueMs(), t.getModelMs(),
                        t.getEncodeMs()});
            }
            return latency;
        }

        /** Medians of {@link #breakdown} (wall clocks of one host, millisecond resolution). */
        ObjectNode split() {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            // in_generator = queue (planning and the wait for the batcher) + model + encoding and sending.
            String[] names = {"to_generator", "in_generator", "back_to_client", "queue", "model", "encode_one"};
            for (int k = 0; k < names.length; k++) {
                int col = k;
                List<Double> v = breakdown.stream().map(d -> d[col]).toList();
                if (!v.isEmpty()) {
                    n.put(names[k], Stats.round(Stats.median(v), 2));
                }
            }
            return n;
        }

        private String send(long seed) {
            String id = prefix + "-" + ids.incrementAndGet();
            LayoutRequest r = LayoutRequest.newBuilder().setRequestId(id)
                    .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS).setPng(ByteString.copyFrom(png)))
                    .setNumSamples(SAMPLES_PER_REQUEST).setSeed(seed).setHasSeed(true)
                    .setClientSentAtMs(System.currentTimeMillis()).build();
            client.sendAsync(id, r.toByteArray());
            return id;
        }

        private SampleClient.Answer answer(String id) throws TimeoutException {
            SampleClient.Answer a = client.await(id, ANSWER_TIMEOUT);
            if (!a.ok()) {
                throw new IllegalStateException("request " + id + " answered with an error: " + a.error());
            }
            return a;
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
