package io.cimle.generator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cimle.cli.client.SampleClient;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Images;
import io.cimle.core.data.InstanceMaps;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.NoiseMode;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.kafka.KafkaBrokerTestResource;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.CheckpointEvent;
import io.cimle.wire.v1.DeadLetter;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.Interpolation;
import io.cimle.wire.v1.LatentCode;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.StyleReference;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generator end to end through a real broker, with a checkpoint written by the training code. The
 * tests hold in any order (run with the version switch first, by MethodName order, and last): the switch waits for the
 * switch it causes, and no other test depends on which version serves it.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TinyModelResource.class, restrictToAnnotatedClass = true)
class GeneratorKafkaTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static SampleClient client;
    static ClassMap layout;
    static ClassMap otherLayout;

    @BeforeAll
    static void connect() {
        client = new SampleClient(KafkaBrokerTestResource.broker().bootstrapServers());
        ToyScenes toy = new ToyScenes(TinyModelResource.config().width(), TinyModelResource.config().height());
        layout = toy.sample(7, 0).layout();
        otherLayout = toy.sample(7, 1).layout();
    }

    @Inject
    ModelRegistry models;

    /**
     * The app counts as started before its first checkpoint is loaded (readiness says when it is); a
     * request before that is rightly answered NO_MODEL_LOADED, so the tests wait as a user waits for ready.
     */
    @BeforeEach
    void modelLoaded() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var m = models.acquire("");
                if (m.isPresent()) {
                    m.get().release();
                    return;
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no model loaded within " + WAIT);
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    static LayoutRequest.Builder request(String id, ClassMap map) {
        return LayoutRequest.newBuilder().setRequestId(id).setLayout(Layout.newBuilder()
                .setEncoding(LayoutEncoding.CLASS_IDS).setPng(ByteString.copyFrom(LayoutEncoder.classIdsPng(map))));
    }

    static SampleClient.Answer roundTrip(LayoutRequest r) {
        client.send(r);
        return answer(r.getRequestId());
    }

    static SampleClient.Answer answer(String requestId) {
        try {
            return client.await(requestId, WAIT);
        } catch (TimeoutException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void nDistinctSamplesArriveWithTheirCodes() {
        SampleClient.Answer a = roundTrip(request("n-1", layout).setNumSamples(6).setSeed(11).setHasSeed(true).build());
        assertTrue(a.ok(), () -> "error: " + a.error());
        assertEquals(6, a.samples().size());
        Set<ByteString> distinct = new HashSet<>();
        for (GeneratedSample s : a.samples()) {
            assertEquals(6, s.getTotal());
            assertTrue(s.getCode().getHasSeed(), "each sample carries the code (seed) that made it");
            // Whichever version serves it (the switch test may have run first), one version makes all.
            assertEquals(a.samples().get(0).getModelVersion(), s.getModelVersion());
            assertFalse(s.getModelVersion().isEmpty());
            assertFalse(s.getImage().isEmpty());
            var t = s.getTimings();
            assertTrue(t.getReceivedAtMs() > 0 && t.getPublishedAtMs() >= t.getReceivedAtMs(), t::toString);
            assertTrue(t.getQueueMs() + t.getModelMs() <= t.getPublishedAtMs() - t.getReceivedAtMs(),
                    () -> "planning and queue, then the model, both inside the generator's time: " + t);
            distinct.add(s.getImage());
        }
        assertEquals(6, distinct.size(), "different codes give different images");
    }

    /**
     * Offsets follow the answers: once a request is answered its offset is committed (within the
     * commit interval), so a restarted generator does not serve it again; and the consumer reports
     * itself in /q/health.
     */
    @Test
    void anAnsweredRequestIsCommitted() throws Exception {
        LayoutRequest r = request("commit-1", layout).setNumSamples(1).build();
        SampleClient.Sent sent = client.send(r);
        assertTrue(answer(r.getRequestId()).ok());
        TopicPartition tp = new TopicPartition("layouts.requests", sent.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerTestResource.broker().bootstrapServers()))) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            long committed = -1;
            while (System.nanoTime() < deadline) {
                OffsetAndMetadata o = admin.listConsumerGroupOffsets("cimle-generator").partitionsToOffsetAndMetadata()
                        .get().get(tp);
                committed = o == null ? -1 : o.offset();
                if (committed > sent.offset()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(committed > sent.offset(), "committed " + committed + ", answered record at " + sent.offset());
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'requests-consumer' }.status", equalTo("UP"));
    }

    /**
     * A burst larger than max-in-flight (32): the consumer holds what the batcher refuses, pauses its
     * partitions and resumes as answers are acknowledged; every request is answered once.
     */
    @Test
    void aBurstBeyondMaxInFlightIsAllAnswered() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            LayoutRequest r = request("burst-" + i, layout).setNumSamples(1).build();
            client.sendAsync(r.getRequestId(), r.toByteArray());
            ids.add(r.getRequestId());
        }
        for (String id : ids) {
            SampleClient.Answer a = answer(id);
            assertTrue(a.ok(), () -> id + ": " + a.error());
            assertEquals(1, a.samples().size(), id);
        }
    }

    /**
     * A rebalance while a burst is in flight (another member joins the group, then leaves): the requests
     * already in the batcher are answered and committed before the partitions move, so none is answered
     * twice; those only planned are left to the partitions' next owner. (Before, each rebalance answered
     * the in-flight ones again: the repeats after a broker restart.)
     */
    @Test
    void aRebalanceWithRequestsInFlightAnswersEachOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            LayoutRequest r = request("rebalance-" + i, layout).setNumSamples(64).build();
            client.sendAsync(r.getRequestId(), r.toByteArray());
            ids.add(r.getRequestId());
        }
        // Joins the generator's group: every partition of the generator is revoked, then given back as it leaves.
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerTestResource.broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "cimle-generator",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        try (var joiner = new KafkaConsumer<>(props,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            joiner.subscribe(List.of(Topics.LAYOUTS_REQUESTS));
            long deadline = System.currentTimeMillis() + 30_000;
            while (joiner.groupMetadata().generationId() <= 0 && System.currentTimeMillis() < deadline) {
                joiner.poll(Duration.ofMillis(100));
            }
            assertTrue(joiner.groupMetadata().generationId() > 0, "the extra member joined the group (a rebalance)");
        }
        for (String id : ids) {
            SampleClient.Answer a = answer(id);
            assertTrue(a.ok(), () -> id + ": " + a.error());
        }
        long repeats = ids.stream().map(client::receipt).mapToLong(SampleClient.Receipt::duplicates).sum();
        assertEquals(0, repeats, "no request answered twice across the two rebalances");
    }

    /**
     * One pipeline: a REST request and a Kafka request that queue while the generator is busy share the
     * next forward pass (both report its number); a REST flood beyond max-in-flight (32) gets 503s with
     * Retry-After, never a queue without bound, and every request let in is answered 200.
     */
    @Test
    void restAndKafkaRequestsShareOnePassAndAFloodGets503WithRetryAfter() throws Exception {
        String png = Base64.getEncoder().encodeToString(LayoutEncoder.classIdsPng(layout));
        for (int i = 0; i < 3; i++) { // keep the batcher busy for a while
            client.send(request("busy-" + i, layout).setNumSamples(64).build());
        }
        var rest = CompletableFuture.supplyAsync(() -> given()
                .contentType(ContentType.JSON)
                .body(Map.of("layoutPng", png, "encoding", "class_ids", "numSamples", 1, "seed", "4"))
                .post("/api/generate").then().statusCode(200).extract().jsonPath().getLong("pass"));
        client.send(request("beside-rest", layout).setNumSamples(1).build());
        long restPass = rest.get(60, TimeUnit.SECONDS);
        long kafkaPass = answer("beside-rest").samples().get(0).getTimings().getPass();
        assertEquals(restPass, kafkaPass, "the REST and the Kafka request were answered by one forward pass");
        for (int i = 0; i < 3; i++) {
            answer("busy-" + i);
        }

        ExecutorService clients = Executors.newFixedThreadPool(48);
        try {
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 96; i++) {
                calls.add(clients.submit(() -> given().contentType(ContentType.JSON)
                        .body(Map.of("layoutPng", png, "encoding", "class_ids", "numSamples", 64)).post("/api/generate")));
            }
            int ok = 0;
            int busy = 0;
            for (var call : calls) {
                Response r = call.get(120, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertEquals(503, r.statusCode(), r.asString());
                    assertEquals("OVERLOADED", r.jsonPath().getString("code"));
                    assertEquals("1", r.getHeader("Retry-After"));
                    busy++;
                }
            }
            assertTrue(ok > 0 && busy > 0, "some let in, some told to come back: " + ok + " ok, " + busy + " 503");
            assertEquals(96, ok + busy);
        } finally {
            clients.shutdownNow();
        }
    }

    /** Style from a reference over Kafka: the search finds the code the reference photo was drawn with. */
    @Test
    void aStyleReferenceFindsTheCodeOfItsPhoto() {
        long searchSeed = 8;
        long drawn = new SplittableRandom(searchSeed).longs(12).toArray()[2];
        SampleClient.Answer reference = roundTrip(request("style-ref", layout).addCodes(
                LatentCode.newBuilder().setSeed(drawn).setHasSeed(true)).build());
        assertTrue(reference.ok(), () -> "error: " + reference.error());
        GeneratedSample photo = reference.samples().get(0);
        SampleClient.Answer styled = roundTrip(request("style-use", layout).setModelVersion(photo.getModelVersion())
                .setNumSamples(2).setStyleReference(StyleReference.newBuilder().setLayout(request("x", layout)
                        .getLayout()).setPhoto(photo.getImage()).setCandidates(12).setSeed(searchSeed)).build());
        assertTrue(styled.ok(), () -> "error: " + styled.error());
        assertEquals(2, styled.samples().size());
        assertEquals(drawn, styled.samples().get(0).getCode().getSeed());
        assertEquals(photo.getImage(), styled.samples().get(0).getImage(), "the found code redraws the reference");
    }

    @Test
    void theSameSeedGivesIdenticalBytes() {
        var a = roundTrip(request("seed-a", layout).setNumSamples(3).setSeed(99).setHasSeed(true).build());
        var b = roundTrip(request("seed-b", layout).setNumSamples(3).setSeed(99).setHasSeed(true).build());
        for (int i = 0; i < 3; i++) {
            assertEquals(a.samples().get(i).getImage(), b.samples().get(i).getImage());
        }
    }

    @Test
    void anExplicitCodeReproducesAStyleAndCarriesToAnotherLayout() {
        var first = roundTrip(request("style-src", layout).setNumSamples(2).setSeed(5).setHasSeed(true).build());
        GeneratedSample kept = first.samples().get(1);
        var again = roundTrip(request("style-again", layout).addCodes(kept.getCode()).build());
        assertSameImage(kept.getImage(), again.samples().get(0).getImage());
        var edited = roundTrip(request("style-edit", otherLayout).addCodes(kept.getCode()).build());
        assertTrue(edited.ok());
        assertTrue(maxDifference(kept.getImage(), edited.samples().get(0).getImage()) > 8, "edited layout, same code: a new image");
    }

    @Test
    void interpolationGivesKFramesFromOneEndToTheOther() {
        var ends = roundTrip(request("ends", layout).setNumSamples(2).setSeed(8).setHasSeed(true).build());
        var frames = roundTrip(request("interp", layout).setInterpolation(Interpolation.newBuilder()
                .setFrom(ends.samples().get(0).getCode()).setTo(ends.samples().get(1).getCode()).setSteps(5)).build());
        assertTrue(frames.ok(), () -> "error: " + frames.error());
        assertEquals(5, frames.samples().size());
        assertEquals(0f, frames.samples().get(0).getInterpolationT());
        assertEquals(1f, frames.samples().get(4).getInterpolationT());
        assertSameImage(ends.samples().get(0).getImage(), frames.samples().get(0).getImage());
        assertSameImage(ends.samples().get(1).getImage(), frames.samples().get(4).getImage());
        assertTrue(maxDifference(frames.samples().get(0).getImage(), frames.samples().get(2).getImage()) > 0);
    }

    /** The layout's instance map travels with the request: answered like any other, its own bytes per seed. */
    @Test
    void aLayoutWithAnInstanceMapIsAnswered() {
        LayoutRequest r = withInstances(request("instances-1", layout).setNumSamples(2).setSeed(5).setHasSeed(true),
                layout.width(), layout.height()).build();
        SampleClient.Answer a = roundTrip(r);
        assertTrue(a.ok(), () -> "error: " + a.error());
        assertEquals(2, a.samples().size());
        SampleClient.Answer again = roundTrip(r.toBuilder().setRequestId("instances-2").build());
        assertSameImage(a.samples().get(1).getImage(), again.samples().get(1).getImage());
    }

    /** A w x h instance map splitting every class into vertical strips of 8 pixels, one object each. */
    static LayoutRequest.Builder withInstances(LayoutRequest.Builder request, int w, int h) {
        int[] strips = new int[w * h];
        for (int p = 0; p < strips.length; p++) {
            strips[p] = 1 + p % w / 8;
        }
        byte[] png = InstanceMaps.png(new ClassMap(w, h, layout.channels(), new int[w * h]).withInstances(strips));
        request.getLayoutBuilder().setInstancePng(ByteString.copyFrom(png));
        return request;
    }

    @Test
    void everyKindOfBadInputGetsItsErrorCodeAndADeadLetter() {
        byte[] garbagePng = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        record Case(String id, byte[] bytes, ErrorCode expected) {
        }
        List<Case> cases = List.of(
                new Case("bad-record", new byte[] {(byte) 0xff, (byte) 0xff, 0x01}, ErrorCode.UNPARSEABLE_RECORD),
                new Case("bad-missing-layout", LayoutRequest.newBuilder().setRequestId("bad-missing-layout").setNumSamples(1)
                        .build().toByteArray(), ErrorCode.INVALID_REQUEST),
                new Case("bad-png", LayoutRequest.newBuilder().setRequestId("bad-png").setNumSamples(1)
                        .setLayout(Layout.newBuilder().setPng(ByteString.copyFrom(garbagePng))).build().toByteArray(),
                        ErrorCode.LAYOUT_UNDECODABLE),
                new Case("bad-too-many", request("bad-too-many", layout).setNumSamples(10_000).build().toByteArray(),
                        ErrorCode.TOO_MANY_SAMPLES),
                new Case("bad-zero", request("bad-zero", layout).setNumSamples(0).build().toByteArray(),
                        ErrorCode.INVALID_REQUEST),
                new Case("bad-class", request("bad-class", unknownClassLayout()).setNumSamples(1).build().toByteArray(),
                        ErrorCode.LAYOUT_UNKNOWN_CLASS),
                new Case("bad-code", request("bad-code", layout).addCodes(LatentCode.newBuilder()
                        .addValues(1f).addShape(1)).build().toByteArray(), ErrorCode.BAD_LATENT_CODE),
                new Case("bad-version", request("bad-version", layout).setNumSamples(1).setModelVersion("999999")
                        .build().toByteArray(), ErrorCode.UNKNOWN_MODEL_VERSION),
                new Case("bad-model", request("bad-model", layout).setNumSamples(1).setModelName("not-this-one")
                        .build().toByteArray(), ErrorCode.UNKNOWN_MODEL_VERSION),
                new Case("bad-instances", withInstances(request("bad-instances", layout).setNumSamples(1), 4, 4)
                        .build().toByteArray(), ErrorCode.INSTANCE_MAP_INVALID));
        for (Case c : cases) {
            client.sendRecord(c.id(), c.bytes());
        }
        for (Case c : cases) {
            // The unparseable record's id is its key.
            var a = answer(c.id());
            assertFalse(a.ok(), c.id() + " should fail");
            assertEquals(c.expected(), a.error().getCode(), c.id() + ": " + a.error().getMessage());
            assertFalse(a.error().getMessage().isBlank());
        }
        List<DeadLetter> dead = KafkaTestTopics.deadLetters(KafkaBrokerTestResource.broker().bootstrapServers(),
                cases.size(), WAIT);
        assertTrue(dead.size() >= cases.size(), "every bad request has a dead letter: " + dead.size());
        // The consumer is still alive after all that.
        assertTrue(roundTrip(request("after-bad", layout).setNumSamples(1).build()).ok());
    }

    /**
     * The new version is of the regional code form (a vector code with a block per class): after the
     * switch it serves seeds (same bytes twice), explicit codes and interpolation; today's form stays
     * pinnable beside it.
     */
    @Test
    void aNewCheckpointEventSwitchesTheVersionWithoutLosingRequests() throws Exception {
        CheckpointInfo v2 = TinyModelResource.publish(2, TinyModelResource.config().withNoiseMode(NoiseMode.VECTOR)
                .withRegionCodeDim(4));
        // Requests in flight while the switch happens must all be answered.
        for (int i = 0; i < 5; i++) {
            client.send(request("switch-" + i, layout).setNumSamples(2).build());
        }
        KafkaTestTopics.announce(KafkaBrokerTestResource.broker().bootstrapServers(), CheckpointEvent.newBuilder().setModelName(TinyModelResource.MODEL).setVersion(v2.version())
                .setUri(v2.uri()).setSha256(v2.sha256()).build());
        for (int i = 0; i < 5; i++) {
            var a = answer("switch-" + i);
            assertTrue(a.ok(), () -> "switch request answered with " + a.error());
        }
        long deadline = System.currentTimeMillis() + 60_000;
        String version = "";
        int n = 0;
        while (!version.equals(v2.version()) && System.currentTimeMillis() < deadline) {
            var a = roundTrip(request("after-switch-" + n++, layout).setNumSamples(1).build());
            version = a.samples().get(0).getModelVersion();
        }
        assertEquals(v2.version(), version);
        var first = roundTrip(request("blocks-a", layout).setModelVersion(v2.version()).setNumSamples(2).setSeed(5)
                .setHasSeed(true).build());
        var again = roundTrip(request("blocks-b", layout).setModelVersion(v2.version()).setNumSamples(2).setSeed(5)
                .setHasSeed(true).build());
        assertTrue(first.ok() && again.ok(), () -> "errors: " + first.error() + " " + again.error());
        assertEquals(first.samples().get(1).getImage(), again.samples().get(1).getImage());
        var walk = roundTrip(request("blocks-walk", layout).setModelVersion(v2.version()).setInterpolation(Interpolation
                .newBuilder().setFrom(first.samples().get(0).getCode()).setTo(first.samples().get(1).getCode())
                .setSteps(3)).build());
        assertTrue(walk.ok(), () -> "error: " + walk.error());
        assertSameImage(first.samples().get(1).getImage(), walk.samples().get(2).getImage());
        // The old version (today's form) can still be pinned by a request.
        var pinned = roundTrip(request("pinned-old", layout).setNumSamples(1).setModelVersion("000001").build());
        assertTrue(pinned.ok());
        assertEquals("000001", pinned.samples().get(0).getModelVersion());
    }

    /**
     * Same code, same layout: the same image. Bitwise for the same batch composition (see the test
     * above); across different batch sizes libtorch's kernels may differ by one 8-bit level.
     */
    static void assertSameImage(ByteString a, ByteString b) {
        assertTrue(maxDifference(a, b) <= 1, "images differ by more than one level");
    }

    static int maxDifference(ByteString a, ByteString b) {
        RgbImage x = Images.decode(a.toByteArray());
        RgbImage y = Images.decode(b.toByteArray());
        int max = 0;
        for (int i = 0; i < x.rgb().length; i++) {
            max = Math.max(max, Math.abs((x.rgb()[i] & 0xff) - (y.rgb()[i] & 0xff)));
        }
        return max;
    }

    static ClassMap unknownClassLayout() {
        // Class id 40 is not a toy-scenes class: the reject policy names it.
        int[] ids = layout.ids().clone();
        ClassMap probe = new ClassMap(layout.width(), layout.height(), 64, ids);
        ids[3] = 40;
        return new ClassMap(probe.width(), probe.height(), 64, ids);
    }
}
