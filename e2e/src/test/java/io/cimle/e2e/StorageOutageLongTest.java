package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cimle.cli.demo.LocalStack;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.S3ObjectStore;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.LayoutImagePair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object storage unreachable for 30 s (long suite): the trainer runs against an S3 API (s3proxy in this
 * JVM, on a fixed port, a filesystem blob store that survives the stop), which is stopped for 30 s while
 * the trainer checkpoints and pairs arrive, then started again. The trainer must retry with backoff,
 * not crash, say so in its log and metrics, and recover: every pair stored, checkpoints resume.
 */
@Tag("long")
class StorageOutageLongTest {
    static final int OUTAGE_S = Integer.getInteger("cimle.outage.seconds", 30);

    @Test
    void theTrainerRidesOutA30SecondStorageOutage(@TempDir Path dir) throws Exception {
        S3Server s3 = new S3Server(dir.resolve("s3"));
        try (LocalKafkaBroker broker = LocalKafkaBroker.startTemporary(); LocalStack stack = new LocalStack(dir.resolve("logs"));
                S3ObjectStore store = s3.client()) {
            broker.createSystemTopics(2);
            String bootstrap = broker.bootstrapServers();
            Map<String, String> env = S3Server.env(s3.endpoint());
            LocalStack.Service trainer = Rig.trainer(stack, "trainer", bootstrap, dir.resolve("unused"), 5, List.of(), env);
            stack.awaitHttp(trainer, "/q/health/live", Duration.ofMinutes(3));
            produce(bootstrap, 0, 24);
            CheckpointStore checkpoints = new CheckpointStore(store, 3, true);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (checkpoints.versions(Rig.MODEL).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            String before = checkpoints.latest(Rig.MODEL).orElseThrow().version();

            s3.stop();
            long down = System.nanoTime();
            produce(bootstrap, 24, 40); // pairs that arrive while storage is down
            Thread.sleep(OUTAGE_S * 1000L - (System.nanoTime() - down) / 1_000_000);
            String statusDuring = stack.get(trainer, "/api/trainer/status");
            String metricsDuring = stack.get(trainer, "/q/metrics");
            s3.start();
            System.out.println("[reliability] object storage was down for " + (System.nanoTime() - down) / 1_000_000 + " ms");

            // Recovery: every pair stored, a new checkpoint, training still running, the process alive.
            deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (store.list("datasets/" + Rig.MODEL + "/pairs/").size() < 40 && System.nanoTime() < deadline) {
                Thread.sleep(1000);
            }
            CheckpointInfo after = checkpoints.latest(Rig.MODEL).orElseThrow();
            while (after.version().compareTo(before) <= 0 && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                after = checkpoints.latest(Rig.MODEL).orElseThrow();
            }
            String log = Files.readString(trainer.log());
            JsonNode status = new ObjectMapper().readTree(stack.get(trainer, "/api/trainer/status"));
            long failures = log.lines().filter(l -> l.contains("upload failed") || l.contains("storing training pairs failed")
                    || l.contains("storage")).count();
            double failureMetric = Rig.metric(metricsDuring, "cimle_trainer_storage_failures_total", null);
            int stored = store.list("datasets/" + Rig.MODEL + "/pairs/").size();
            System.out.println("[reliability] storage outage " + OUTAGE_S + " s: trainer alive " + trainer.process().isAlive()
                    + ", phase during " + new ObjectMapper().readTree(statusDuring).path("phase").asText() + ", after "
                    + status.path("phase").asText() + "; storage log lines " + failures + "; cimle_trainer_storage_failures_total "
                    + failureMetric + "; pairs stored " + stored + "/40; checkpoint before " + before + ", after " + after.version());
            assertTrue(trainer.process().isAlive(), "no crash");
            assertFalse("FAILED".equals(status.path("phase").asText()), "training survives the outage: " + status);
            assertTrue(failures > 0, "the log says storage failed");
            assertTrue(failureMetric > 0, "a metric counts storage failures");
            assertEquals(40, stored, "pairs that arrived during the outage are stored after it");
            assertTrue(after.version().compareTo(before) > 0, "checkpoints resume after the outage");
            assertFalse(log.contains(S3Server.SECRET), "the secret never reaches the log");
        } finally {
            s3.stop();
        }
    }

    private static void produce(String bootstrap, int from, int to) {
        try (KafkaProducer<String, byte[]> p = Rig.producer(bootstrap)) {
            for (int i = from; i < to; i++) {
                LayoutImagePair pair = Rig.pair("outage-" + i, 5, i);
                p.send(new ProducerRecord<>(Topics.LAYOUTS_TRAINING, pair.getId(), pair.toByteArray()));
            }
            p.flush();
        }
    }
}
