package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cimle.cli.client.SampleClient;
import io.cimle.cli.demo.LocalStack;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.DeadLetter;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.ErrorReply;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.LayoutRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hostile input against the packaged generator (Kafka consumer and REST API) and trainer (Kafka
 * consumer), as processes: every case ends in an answer or an error with a code, no consumer stops,
 * the REST API answers 4xx, never 5xx or a hang, and the limits hold. The number of cases is
 * {@code -Dcimle.fuzz.cases} (the long suite raises it). The services run with fake credentials in
 * their environment; their logs must not contain them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
    /** Number of hostile cases per consumer; the long suite's subclass raises it. */
    int cases() {
        return Integer.getInteger("cimle.fuzz.cases", 200);
    }

    static final long SEED = Long.getLong("cimle.fuzz.seed", 20240610L);
    /** Fake credentials, assembled at run time so no credential-looking literal is in the sources. */
    static final String FAKE_SECRET = "fake" + "SECRET" + Long.toHexString(SEED) + "do-not-log-9Qx";
    static final String FAKE_KEY_ID = "AKIA" + "FAKE" + "E2E" + "NOTREAL1";

    private Path dir;
    private LocalKafkaBroker broker;
    private LocalStack stack;
    private LocalStack.Service generator;
    private LocalStack.Service trainer;
    private Path store;
    private String bootstrap;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("cimle-hostile-");
        broker = LocalKafkaBroker.startTemporary();
        broker.createSystemTopics(2);
        bootstrap = broker.bootstrapServers();
        store = dir.resolve("store");
        Rig.publishTiny(store, 1);
        stack = new LocalStack(dir.resolve("logs"));
        Map<String, String> secrets = Map.of("AWS_SECRET_ACCESS_KEY", FAKE_SECRET, "AWS_ACCESS_KEY_ID", FAKE_KEY_ID,
                "CIMLE_STORAGE_S3_SECRET_ACCESS_KEY", FAKE_SECRET, "CIMLE_STORAGE_S3_ACCESS_KEY_ID", FAKE_KEY_ID,
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\""
                        + FAKE_SECRET + "\";");
        generator = Rig.generator(stack, "generator", bootstrap, store, List.of(), secrets);
        trainer = Rig.trainer(stack, "trainer", bootstrap, store, 1000, List.of("-Dcimle.trainer.auto-start=false"), secrets);
        Rig.awaitReady(stack, generator, trainer);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
        if (broker != null) {
            broker.close();
        }
        System.out.println("[reliability] logs of HostileInputTest in " + dir.resolve("logs"));
    }

    private record Sent(Hostile.Case c, int partition, long offset, String requestId) {
    }

    /** Where a record landed; its error reply or dead letter names the same partition and offset. */
    private record Position(int partition, long offset) {
    }

    private List<Sent> produce(List<Hostile.Case> cases, Function<byte[], String> idOf,
            BiFunction<String, byte[], CompletableFuture<Position>> send) {
        List<CompletableFuture<Position>> fs = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            fs.add(send.apply("hostile-" + i, cases.get(i).value()));
        }
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Position at = fs.get(i).join();
            byte[] v = cases.get(i).value();
            sent.add(new Sent(cases.get(i), at.partition(), at.offset(), v == null ? null : idOf.apply(v)));
        }
        return sent;
    }

    /** Produces pairs on layouts.training (the generator's client is for requests). */
    private static BiFunction<String, byte[], CompletableFuture<Position>> pairs(KafkaProducer<String, byte[]> producer) {
        return (key, value) -> {
            CompletableFuture<Position> at = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(Topics.LAYOUTS_TRAINING, key, value), (md, e) -> {
                if (e != null) {
                    at.completeExceptionally(e);
                } else {
                    at.complete(new Position(md.partition(), md.offset()));
                }
            });
            return at;
        };
    }

    static String requestIdOf(byte[] bytes) {
        try {
            String id = LayoutRequest.parseFrom(bytes).getRequestId();
            return id.isBlank() ? null : id;
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    @Order(1)
    void theGeneratorAnswersEveryHostileRecordAndKeepsConsuming() throws Exception {
        List<Hostile.Case> cases = Hostile.requests("hostile", new SplittableRandom(SEED), cases());
        Map<String, Integer> codes = new TreeMap<>();
        try (SampleClient replies = new SampleClient(bootstrap)) {
            List<Sent> sent = produce(cases, HostileInputTest::requestIdOf, (key, value) -> replies.sendAsync(key, value)
                    .thenApply(md -> new Position(md.partition(), md.offset())));
            List<Sent> missing = Tally.awaitAll(sent, s -> replies.errorAt(s.partition, s.offset) != null
                    || (s.requestId != null && Tally.complete(replies, s.requestId)), Duration.ofMinutes(3));
            int ok = 0;
            for (Sent s : sent) {
                ErrorReply e = replies.errorAt(s.partition, s.offset);
                if (e != null) {
                    assertTrue(e.getCode() != ErrorCode.ERROR_CODE_UNSPECIFIED && !e.getMessage().isBlank(), s.c.name());
                    codes.merge(e.getCode().name(), 1, Integer::sum);
                } else if (s.requestId != null && Tally.complete(replies, s.requestId)) {
                    ok++;
                }
            }
            codes.put("OK (valid answer)", ok);
            System.out.printf("[reliability] generator Kafka fuzz: %d hostile records, answered %d, unanswered %d, "
                    + "outcomes %s%n", sent.size(), sent.size() - missing.size(), missing.size(), codes);
            assertEquals(List.of(), missing.stream().map(s -> s.c.name()).toList(), "records without an answer");
            assertEquals(0, codes.getOrDefault("INTERNAL", 0), "no hostile input reaches an internal error: " + codes);

            // The limits, case by case.
            assertEquals(ErrorCode.TOO_MANY_SAMPLES, codeOf(replies, sent, "num_samples " + (Rig.GENERATOR_MAX_SAMPLES + 1)));
            assertEquals(ErrorCode.TOO_MANY_SAMPLES, codeOf(replies, sent, "num_samples " + Integer.MAX_VALUE));
            assertEquals(ErrorCode.TOO_MANY_SAMPLES, codeOf(replies, sent, (Rig.GENERATOR_MAX_SAMPLES + 1) + " codes"));
            assertEquals(ErrorCode.INVALID_REQUEST, codeOf(replies, sent, "num_samples -1"));
            assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, codeOf(replies, sent, "layout png above the byte limit"));
            assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, codeOf(replies, sent, "layout png decompression bomb 12000x12000 all-zero"));
            assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, codeOf(replies, sent, "layout png header claiming 100000x100000"));
            assertEquals(ErrorCode.UNPARSEABLE_RECORD, codeOf(replies, sent, "tombstone"));
            assertEquals(ErrorCode.BAD_LATENT_CODE, codeOf(replies, sent, "code with NaN and infinity"));

            // Still consuming: a normal request is answered.
            assertNormalRequestAnswered(replies, "after-fuzz");
        }
        // Bytes per record: the broker refuses a record above its limit before any service sees it.
        try (KafkaProducer<String, byte[]> producer = Rig.producer(bootstrap)) {
            byte[] big = Hostile.padded(Rig.layoutPng(1), 2 << 20);
            ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(new ProducerRecord<>(
                    Topics.LAYOUTS_REQUESTS, "too-big", Hostile.base("too-big").setLayout(Layout.newBuilder()
                            .setPng(ByteString.copyFrom(big))).build().toByteArray())).get());
            assertTrue(e.getCause() instanceof RecordTooLargeException, e.toString());
            System.out.println("[reliability] limit: a " + big.length + "-byte request record is refused by the broker ("
                    + e.getCause().getClass().getSimpleName() + ")");
        }
        assertTrue(generator.process().isAlive());
    }

    private static ErrorCode codeOf(SampleClient replies, List<Sent> sent, String name) {
        Sent s = sent.stream().filter(x -> x.c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
        ErrorReply e = replies.errorAt(s.partition, s.offset);
        return e == null ? null : e.getCode();
    }

    private void assertNormalRequestAnswered(SampleClient replies, String id) throws Exception {
        SampleClient.Answer a = replies.request(Rig.request(id, 2, 3), Duration.ofMinutes(1));
        assertTrue(a.ok(), "normal request answered with samples: " + a.error());
        assertEquals(3, a.samples().size());
    }

    @Test
    @Order(2)
    void theTrainerDeadLettersEveryHostilePairAndKeepsConsuming() throws Exception {
        List<Hostile.Case> cases = Hostile.pairs("hostile-pair", new SplittableRandom(SEED + 1), Math.max(60, cases() / 2));
        Map<String, ErrorCode> dead = new ConcurrentHashMap<>();
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = dlq.partitionsFor(Topics.LAYOUTS_TRAINING_DLQ, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            dlq.assign(parts);
            dlq.seekToBeginning(parts);
            List<Sent> sent;
            try (KafkaProducer<String, byte[]> producer = Rig.producer(bootstrap)) {
                sent = produce(cases, b -> {
                    try {
                        String id = LayoutImagePair.parseFrom(b).getId();
                        return id.isBlank() ? null : id;
                    } catch (Exception e) {
                        return null;
                    }
                }, pairs(producer));
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            List<Sent> missing = new ArrayList<>(sent);
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                for (var r : dlq.poll(Duration.ofMillis(200))) {
                    ErrorReply e = DeadLetter.parseFrom(r.value()).getError();
                    dead.put(e.getSourcePartition() + "/" + e.getSourceOffset(), e.getCode());
                }
                missing.removeIf(s -> dead.containsKey(s.partition + "/" + s.offset) || stored(s.requestId));
            }
            Map<String, Integer> codes = new TreeMap<>();
            int storedCount = 0;
            for (Sent s : sent) {
                ErrorCode code = dead.get(s.partition + "/" + s.offset);
                if (code != null) {
                    codes.merge(code.name(), 1, Integer::sum);
                } else if (stored(s.requestId)) {
                    storedCount++;
                }
            }
            codes.put("STORED (valid pair)", storedCount);
            System.out.printf("[reliability] trainer Kafka fuzz: %d hostile pairs, answered %d (dead letter or stored), "
                    + "unanswered %d, outcomes %s%n", sent.size(), sent.size() - missing.size(), missing.size(), codes);
            assertEquals(List.of(), missing.stream().map(s -> s.c.name()).toList(), "pairs neither stored nor dead-lettered");
            assertEquals(0, codes.getOrDefault("INTERNAL", 0), "no hostile pair reaches an internal error: " + codes);
            assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, dead.get(key(sent, "photo decompression bomb")));
            assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, dead.get(key(sent, "photo header claiming 100000x100000")));
            assertEquals(ErrorCode.SIZE_MISMATCH, dead.get(key(sent, "pair with photo of another size")));
        }
        // Still consuming: a normal pair is stored.
        LayoutImagePair normal = Rig.pair("after-fuzz-pair", 11, 3);
        try (KafkaProducer<String, byte[]> producer = Rig.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(Topics.LAYOUTS_TRAINING, normal.getId(), normal.toByteArray())).get();
        }
        assertEquals(List.of(), Tally.awaitAll(List.of(normal.getId()), this::stored, Duration.ofMinutes(1)));
        assertTrue(trainer.process().isAlive());
    }

    private static String key(List<Sent> sent, String name) {
        Sent s = sent.stream().filter(x -> x.c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
        return s.partition + "/" + s.offset;
    }

    /** True when the trainer stored a pair under this id (the DatasetStore's key scheme). */
    private boolean stored(String id) {
        if (id == null) {
            return false;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return Files.exists(store.resolve("datasets/" + Rig.MODEL + "/pairs/" + HexFormat.of().formatHex(h, 0, 16) + ".pb"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private record Http(String name, int status, String body) {
    }

    private Http post(String name, String contentType, byte[] body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(generator.url() + "api/generate"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Http(name, r.statusCode(), r.body());
        } catch (HttpTimeoutException e) {
            return new Http(name, -1, "HANG: no answer within 30 s");
        } catch (Exception e) {
            return new Http(name, -2, "transport error: " + e);
        }
    }

    private final Map<String, String> sentLayouts = new ConcurrentHashMap<>();

    private Http json(String name, String json) {
        sentLayouts.put(name, json.length() > 200 ? json.substring(0, 200) : json);
        return post(name, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    @Order(3)
    void theRestApiAnswers4xxToHostileBodiesNeverAServerErrorOrAHang() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        String good = b64(Rig.layoutPng(1));
        List<Http> answers = new ArrayList<>();
        answers.add(json("not JSON", "{\"layoutPng\": "));
        answers.add(json("JSON null", "null"));
        answers.add(json("JSON array", "[1,2,3]"));
        answers.add(json("JSON number", "123"));
        answers.add(json("empty object", "{}"));
        answers.add(json("layoutPng a number", "{\"layoutPng\": 5}"));
        answers.add(json("numSamples a string", "{\"layoutPng\":\"" + good + "\",\"numSamples\":\"many\"}"));
        answers.add(json("numSamples 1e30", "{\"layoutPng\":\"" + good + "\",\"numSamples\":1e30}"));
        answers.add(json("numSamples 2^40", "{\"layoutPng\":\"" + good + "\",\"numSamples\":1099511627776}"));
        for (int n : new int[] {Rig.GENERATOR_MAX_SAMPLES + 1, Integer.MAX_VALUE, 0, -1}) {
            answers.add(json("numSamples " + n, "{\"layoutPng\":\"" + good + "\",\"numSamples\":" + n + "}"));
        }
        answers.add(json("seed a float", "{\"layoutPng\":\"" + good + "\",\"seed\":1.5e300}"));
        answers.add(json("layoutPng not base64", "{\"layoutPng\":\"%%%not base64%%%\"}"));
        answers.add(json("encoding unknown", "{\"layoutPng\":\"" + good + "\",\"encoding\":\"jpeg2000\"}"));
        answers.add(json("modelVersion 999999", "{\"layoutPng\":\"" + good + "\",\"modelVersion\":\"999999\"}"));
        answers.add(json("modelVersion path", "{\"layoutPng\":\"" + good + "\",\"modelVersion\":\"../../../etc\"}"));
        answers.add(json("code shape 100000x100000", "{\"layoutPng\":\"" + good + "\",\"codes\":[{\"shape\":[100000,100000],\"values\":[1]}]}"));
        answers.add(json("code negative shape", "{\"layoutPng\":\"" + good + "\",\"codes\":[{\"shape\":[-1,-2147483648]}]}"));
        answers.add(json("code null", "{\"layoutPng\":\"" + good + "\",\"codes\":[null]}"));
        answers.add(json("interpolation steps huge", "{\"layoutPng\":\"" + good
                + "\",\"interpolation\":{\"from\":{\"seed\":1},\"to\":{\"seed\":2},\"steps\":2147483647}}"));
        answers.add(json("interpolation without ends", "{\"layoutPng\":\"" + good + "\",\"interpolation\":{\"steps\":3}}"));
        answers.add(json("deeply nested", "{\"layoutPng\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
        answers.add(post("wrong content type", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)));
        answers.add(post("random bytes as JSON", "application/json", randomBytes(rnd, 3000)));
        byte[] overBody = ("{\"layoutPng\":\"" + "A".repeat(1_200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Http tooBig = post("body above the limit (" + overBody.length + " bytes)", "application/json", overBody);
        answers.add(tooBig);
        for (Hostile.Case png : Hostile.pngs(rnd, Math.max(20, cases() / 4))) {
            answers.add(json("layoutPng " + png.name(), "{\"layoutPng\":\"" + b64(png.value()) + "\",\"numSamples\":1}"));
        }
        while (answers.size() < Math.max(60, cases() / 2)) {
            answers.add(post("random JSON-ish " + answers.size(), "application/json", mutate(rnd,
                    ("{\"layoutPng\":\"" + good + "\",\"numSamples\":2,\"seed\":7}").getBytes(StandardCharsets.UTF_8))));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> bad = new ArrayList<>();
        for (Http h : answers) {
            statuses.merge(h.status, 1, Integer::sum);
            // Mutations may stay valid; other sizes and bit depths are resized/accepted by design.
            boolean mutatedMayBeValid = h.name.startsWith("random JSON-ish") || h.name.startsWith("layoutPng png bit flips")
                    || h.name.contains("64x64") || h.name.contains("16-bit")
                    // A PNG cut after its last image data (only IEND or a CRC missing) still holds every pixel.
                    || h.name.startsWith("layoutPng png truncated");
            if (h.status >= 500 || h.status < 0 || (h.status < 400 && !mutatedMayBeValid)) {
                bad.add(h.name + " -> " + h.status + " " + h.body.substring(0, Math.min(120, h.body.length())) + " SENT "
                        + sentLayouts.get(h.name));
            }
        }
        System.out.printf("[reliability] REST fuzz: %d hostile bodies, status counts %s%n", answers.size(), statuses);
        assertEquals(List.of(), bad, "hostile bodies must get 4xx, never 5xx or a hang");
        assertEquals(413, tooBig.status, "body limit " + Rig.GENERATOR_MAX_BODY);
        Http limit = answers.stream().filter(h -> h.name.equals("numSamples " + (Rig.GENERATOR_MAX_SAMPLES + 1))).findFirst().orElseThrow();
        assertTrue(limit.body.contains("TOO_MANY_SAMPLES"), limit.body);
        Http bomb = answers.stream().filter(h -> h.name.contains("decompression bomb")).findFirst().orElseThrow();
        assertEquals(413, bomb.status, bomb.body);
        // Still serving: a normal request.
        Http normal = json("normal", "{\"layoutPng\":\"" + good + "\",\"numSamples\":2,\"seed\":7}");
        assertEquals(200, normal.status, normal.body);
        assertTrue(generator.process().isAlive());
    }

    static byte[] randomBytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static byte[] mutate(SplittableRandom rnd, byte[] b) {
        byte[] out = b.clone();
        for (int f = rnd.nextInt(1, 6); f > 0; f--) {
            out[rnd.nextInt(out.length)] = (byte) " {}[]\":,0123456789-eEnul".charAt(rnd.nextInt(24));
        }
        return out;
    }

    @Test
    @Order(4)
    void theLogsHoldNoConfiguredSecret() throws Exception {
        int lines = 0;
        for (LocalStack.Service s : List.of(generator, trainer)) {
            // Every line the services wrote (the launcher's own header line carries no environment).
            String log = Files.readString(s.log());
            lines += log.split("\n").length;
            assertFalse(log.contains(FAKE_SECRET), s.name() + " logged the secret access key");
            assertFalse(log.contains(FAKE_KEY_ID), s.name() + " logged the access key id");
        }
        System.out.println("[reliability] secrets: " + lines + " log lines of generator and trainer (after the fuzz runs) "
                + "hold neither the fake secret nor the fake key id");
    }
}
