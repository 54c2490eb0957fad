package io.cimle.e2e;

import ai.djl.Device;
import com.google.protobuf.ByteString;
import io.cimle.cli.demo.LocalStack;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Images;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.FileSystemObjectStore;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.CheckpointEvent;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.Photo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the fault tests share: a tiny model in a filesystem store, the services as processes, probes. */
final class Rig {
    static final String MODEL = "toy";
    static final int WIDTH = 32;
    static final int HEIGHT = 16;

    private Rig() {
    }

    static ModelConfig config() {
        return Presets.tiny(ToyScenes.labelSet().channels());
    }

    /** Publishes a tiny, freshly initialised model as the next version, as the trainer would. */
    static CheckpointInfo publishTiny(Path store, long initSeed) throws IOException {
        return publishTiny(checkpoints(store), initSeed);
    }

    static CheckpointInfo publishTiny(CheckpointStore store, long initSeed) throws IOException {
        return publishTiny(store, MODEL, initSeed);
    }

    static CheckpointInfo publishTiny(CheckpointStore store, String model, long initSeed) throws IOException {
        try (GeneratorNetwork net = GeneratorNetwork.create(config(), Device.cpu(), initSeed)) {
            Checkpoint c = Checkpoint.of(net, initSeed * 100, (int) initSeed,
                    Map.of("labelSet", ToyScenes.labelSet().toJson()), Map.of());
            return store.publish(new CheckpointStore.Publication(model, c.step(), c.epoch(), Map.of("loss", 1.0),
                    config().presetName(), config().width(), config().height()), c.toBytes());
        }
    }

    static CheckpointStore checkpoints(Path store) throws IOException {
        return new CheckpointStore(new FileSystemObjectStore(store), 10, true);
    }

    static CheckpointEvent event(CheckpointInfo info) {
        return CheckpointEvent.newBuilder().setModelName(info.modelName()).setVersion(info.version()).setStep(info.step())
                .setEpoch(info.epoch()).setUri(info.uri()).setSha256(info.sha256()).setSizeBytes(info.sizeBytes())
                .setCreatedAtMs(info.createdAtMs()).setPreset(info.preset()).setWidth(info.width())
                .setHeight(info.height()).build();
    }

    static Path jar(String service) {
        Path jar = Ports.root().resolve(service + "/target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw install -DskipTests");
        }
        return jar;
    }

    /**
     * Starts a generator with the shipped Kafka consumer settings (application.properties: a 6 s
     * session, so a killed member's partitions move within seconds); its requests consumer is named
     * after the process ({@code client.id}, so the group's view tells whose partitions are whose);
     * small limits so the tests can cross them with small inputs.
     */
    static LocalStack.Service generator(LocalStack stack, String name, String bootstrap, Path store, List<String> extra)
            throws IOException {
        return generator(stack, name, bootstrap, store, extra, Map.of());
    }

    static LocalStack.Service generator(LocalStack stack, String name, String bootstrap, Path store, List<String> extra,
            Map<String, String> env) throws IOException {
        int port = Ports.free();
        List<String> args = new ArrayList<>(List.of("-Xmx512m", "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + bootstrap, "-Dcimle.storage.root=" + store, "-Dcimle.model.name=" + MODEL,
                "-Dcimle.generator.requests.kafka.client.id=" + name,
                "-Dcimle.generator.max-layout-bytes=" + GENERATOR_MAX_LAYOUT_BYTES,
                "-Dquarkus.http.limits.max-body-size=" + GENERATOR_MAX_BODY));
        args.addAll(extra);
        args.addAll(List.of("-jar", jar("generator-service").toString()));
        return stack.startJava(name, args, env, port);
    }

    static final int GENERATOR_MAX_LAYOUT_BYTES = 200_000;
    static final String GENERATOR_MAX_BODY = "1M";
    static final int GENERATOR_MAX_SAMPLES = 64;

    /** Starts a trainer that checkpoints every {@code everySteps} steps on a tiny model. */
    static LocalStack.Service trainer(LocalStack stack, String name, String bootstrap, Path store, int everySteps,
            List<String> extra) throws IOException {
        return trainer(stack, name, bootstrap, store, everySteps, extra, Map.of());
    }

    static LocalStack.Service trainer(LocalStack stack, String name, String bootstrap, Path store, int everySteps,
            List<String> extra, Map<String, String> env) throws IOException {
        int port = Ports.free();
        List<String> args = new ArrayList<>(List.of("-Xmx512m", "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + bootstrap, "-Dcimle.storage.root=" + store, "-Dcimle.model.name=" + MODEL,
                "-Dcimle.trainer.preset=tiny", "-Dcimle.trainer.min-dataset-size=8",
                "-Dcimle.trainer.checkpoint-every-steps=" + everySteps, "-Dcimle.trainer.checkpoint-keep-last=3",
                "-Dcimle.trainer.imle.examples=8", "-Dcimle.trainer.imle.candidates=2", "-Dcimle.trainer.imle.steps=10",
                "-Dcimle.trainer.imle.epochs=100000", "-Dcimle.trainer.imle.decay=false"));
        args.addAll(extra);
        args.addAll(List.of("-jar", jar("trainer-service").toString()));
        return stack.startJava(name, args, env, port);
    }

    static void awaitReady(LocalStack stack, LocalStack.Service... services) throws Exception {
        for (LocalStack.Service s : services) {
            stack.awaitHttp(s, "/q/health/ready", Duration.ofMinutes(3));
        }
    }

    /** The partitions of {@code topic} that the member of {@code group} with this client.id (SmallRye may add "-N") holds. */
    static Set<Integer> partitionsOf(String bootstrap, String group, String clientId, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
            Set<Integer> out = new TreeSet<>();
            for (MemberDescription m : d.members()) {
                if (m.clientId().equals(clientId) || m.clientId().startsWith(clientId + "-")) {
                    m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
                            .forEach(tp -> out.add(tp.partition()));
                }
            }
            return out;
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no commit. */
    static void kill(LocalStack.Service s) throws InterruptedException {
        s.process().destroyForcibly();
        if (!s.process().waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(s.name() + " survived SIGKILL");
        }
    }

    /** Resident set size of the process in KiB, from /proc/PID/status; -1 where there is no /proc. */
    static long rssKb(LocalStack.Service s) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + s.process().pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or not Linux
        }
        return -1;
    }

    /** One metric's value (summed over label sets matching {@code labelFilter}) from /q/metrics; NaN if absent. */
    static double metric(LocalStack stack, LocalStack.Service s, String name, String labelFilter) {
        String text;
        try {
            text = stack.get(s, "/q/metrics");
        } catch (Exception e) {
            return Double.NaN;
        }
        return metric(text, name, labelFilter);
    }

    static double metric(String text, String name, String labelFilter) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+(\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labelFilter == null || labels.contains(labelFilter)) {
                sum += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    static void announce(String bootstrap, CheckpointInfo info) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer(bootstrap)) {
            p.send(new ProducerRecord<>(Topics.CHECKPOINTS, info.modelName(), event(info).toByteArray())).get();
        }
    }

    private static final ToyScenes SCENES = new ToyScenes(WIDTH, HEIGHT);

    static ClassMap layout(int index) {
        return SCENES.sample(77, index).layout();
    }

    static byte[] layoutPng(int index) {
        return LayoutEncoder.classIdsPng(layout(index));
    }

    static LayoutRequest request(String id, int layoutIndex, int samples) {
        return LayoutRequest.newBuilder().setRequestId(id)
                .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                        .setPng(ByteString.copyFrom(layoutPng(layoutIndex))))
                .setNumSamples(samples).setSeed(layoutIndex).setHasSeed(true).build();
    }

    static LayoutImagePair pair(String id, long seed, int index) {
        ToyScenes.Scene s = SCENES.sample(seed, index);
        return LayoutImagePair.newBuilder().setId(id).setDataset("toy-scenes")
                .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                        .setPng(ByteString.copyFrom(LayoutEncoder.classIdsPng(s.layout()))))
                .setPhoto(Photo.newBuilder().setData(ByteString.copyFrom(Images.encodePng(s.photo()))).setMediaType("image/png"))
                .setProducedAtMs(System.currentTimeMillis()).build();
    }

    /** Stored pair objects (completed uploads only) under datasets/MODEL/pairs/. */
    static List<Path> storedPairs(Path store) throws IOException {
        Path dir = store.resolve("datasets/" + MODEL + "/pairs");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".pb")).toList();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
