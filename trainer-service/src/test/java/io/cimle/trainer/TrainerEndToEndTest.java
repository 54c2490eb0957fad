package io.cimle.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.FileSystemObjectStore;
import io.cimle.kafka.KafkaBrokerTestResource;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.CheckpointEvent;
import io.cimle.wire.v1.DeadLetter;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.Photo;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Pairs in through Kafka, checkpoints out to storage and on the checkpoints topic, bad pairs to the DLQ. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TinyTrainingResource.class, restrictToAnnotatedClass = true)
class TrainerEndToEndTest {

    @Test
    void pairsBecomeCheckpointsAndBadPairsDeadLetters() throws Exception {
        String bootstrap = KafkaBrokerTestResource.broker().bootstrapServers();
        ToyScenes toy = new ToyScenes(32, 16);
        List<ToyScenes.Scene> scenes = toy.generate(10, 1);
        try (PairProducer producer = new PairProducer(bootstrap)) {
            for (ToyScenes.Scene s : scenes) {
                producer.send(s.id(), PairProducer.toyPair(s).toByteArray());
            }
            // A replay of the first two: stored once.
            producer.send(scenes.get(0).id(), PairProducer.toyPair(scenes.get(0)).toByteArray());
            producer.send(scenes.get(1).id(), PairProducer.toyPair(scenes.get(1)).toByteArray());
            // Bad records: garbage, an undecodable photo, layout and photo of different sizes.
            producer.send("garbage", new byte[] {(byte) 0xff, (byte) 0xfe, 0x07});
            producer.send("bad-photo", PairProducer.toyPair(scenes.get(2)).toBuilder().setId("bad-photo")
                    .setPhoto(Photo.newBuilder().setData(ByteString.copyFromUtf8("not an image"))).build()
                    .toByteArray());
            LayoutImagePair mismatch = PairProducer.toyPair(scenes.get(3)).toBuilder().setId("mismatch")
                    .setPhoto(PairProducer.toyPair(new ToyScenes(64, 32).sample(1, 0)).getPhoto()).build();
            producer.send("mismatch", mismatch.toByteArray());
        }

        List<DeadLetter> dead = readDeadLetters(bootstrap, 3);
        Set<ErrorCode> codes = dead.stream().map(d -> d.getError().getCode()).collect(Collectors.toSet());
        assertEquals(Set.of(ErrorCode.UNPARSEABLE_RECORD, ErrorCode.PHOTO_UNDECODABLE, ErrorCode.SIZE_MISMATCH), codes);
        assertTrue(dead.stream().allMatch(d -> !d.getError().getMessage().isBlank() && d.getOriginalValue().size() > 0));

        CheckpointEvent event = readCheckpointEvent(bootstrap);
        assertEquals("toy", event.getModelName());
        CheckpointStore store = new CheckpointStore(new FileSystemObjectStore(TinyTrainingResource.root), 3, true);
        CheckpointInfo info = store.version("toy", event.getVersion()).orElseThrow();
        assertEquals(info.sha256(), event.getSha256());
        assertTrue(event.getStep() > 0);
        store.read(info); // verifies the bytes against the hash

        given().get("/api/trainer/status").then().statusCode(200).body("datasetSize", equalTo(10))
                .body("leader", equalTo(true));
        assertEquals(10, Files.list(TinyTrainingResource.root.resolve("datasets/toy/pairs")).count());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("cimle_trainer_pairs_ingested_total", "cimle_trainer_pairs_rejected_total",
                "cimle_trainer_dataset_size", "cimle_trainer_epoch", "cimle_trainer_step", "cimle_trainer_loss",
                "cimle_trainer_loss_finite", "cimle_trainer_selection_seconds_bucket", "cimle_trainer_update_seconds_bucket",
                "cimle_trainer_samples_per_second", "cimle_trainer_checkpoint_age_seconds",
                "cimle_trainer_checkpoint_size_bytes", "cimle_trainer_checkpoint_duration_seconds_bucket",
                "cimle_trainer_leader", "cimle_trainer_consumer_lag",
                "cimle_trainer_storage_failures_total", "cimle_trainer_no_gradient_total")) {
            assertTrue(metrics.contains(name), "missing metric " + name);
        }
        given().get("/q/health/ready").then().statusCode(200);
        // Training goes on across the epoch boundary (the data set is reloaded and the trainer continues).
        long deadline = System.currentTimeMillis() + 120_000;
        int step = 0;
        while (step <= 15 && System.currentTimeMillis() < deadline) {
            step = given().get("/api/trainer/status").then().extract().path("globalStep");
            Thread.sleep(250);
        }
        assertTrue(step > 15, "training continued into epoch 2: step " + step);
        Float spread = given().get("/api/trainer/status").then().extract().path("codeSpread");
        assertTrue(spread != null && spread > 0, "the status gives the first epoch's code spread: " + spread);
        given().get("/api/trainer/config").then().statusCode(200).body("imle.steps", equalTo(10));
    }

    static List<DeadLetter> readDeadLetters(String bootstrap, int n) throws Exception {
        List<DeadLetter> out = new ArrayList<>();
        try (var c = consumer(bootstrap)) {
            c.subscribe(List.of(Topics.LAYOUTS_TRAINING_DLQ));
            long deadline = System.currentTimeMillis() + 60_000;
            while (out.size() < n && System.currentTimeMillis() < deadline) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    out.add(DeadLetter.parseFrom(r.value()));
                }
            }
        }
        return out;
    }

    static CheckpointEvent readCheckpointEvent(String bootstrap) throws Exception {
        try (var c = consumer(bootstrap)) {
            c.subscribe(List.of(Topics.CHECKPOINTS));
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline) {
                for (var r : c.poll(Duration.ofMillis(500))) {
                    return CheckpointEvent.parseFrom(r.value());
                }
            }
        }
        throw new AssertionError("no checkpoint event within 180 s");
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "t-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
