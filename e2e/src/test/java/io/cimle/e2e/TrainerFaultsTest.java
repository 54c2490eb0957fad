package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cimle.cli.demo.LocalStack;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.LayoutImagePair;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer killed with SIGKILL while it publishes checkpoints often (every 2 steps) and while pairs
 * arrive: the last complete checkpoint still loads, the restarted trainer resumes from it, and every
 * produced pair is stored exactly once, replays included.
 */
class TrainerFaultsTest {

    @Test
    void aTrainerKilledDuringACheckpointUploadResumesAndStoresEveryPairOnce(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("store");
        Set<String> produced = new HashSet<>();
        try (LocalKafkaBroker broker = LocalKafkaBroker.startTemporary(); LocalStack stack = new LocalStack(dir.resolve("logs"))) {
            broker.createSystemTopics(2);
            String bootstrap = broker.bootstrapServers();
            LocalStack.Service first = Rig.trainer(stack, "trainer", bootstrap, store, 2, List.of());
            Rig.awaitReady(stack, first);
            produce(bootstrap, "pair", 0, 24, produced);

            // Wait for a few published checkpoints, then kill the instant an upload is seen in progress.
            CheckpointStore checkpoints = Rig.checkpoints(store);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (checkpoints.versions(Rig.MODEL).size() < 3 && System.nanoTime() < deadline) {
                Rig.sleep(200);
            }
            assertTrue(checkpoints.versions(Rig.MODEL).size() >= 3, "the trainer published checkpoints");
            // More pairs arrive while it trains: some are being ingested when it dies.
            Thread more = new Thread(() -> produce(bootstrap, "pair", 24, 48, produced));
            more.start();
            Path ckptDir = store.resolve("models/" + Rig.MODEL + "/checkpoints");
            long killBy = System.nanoTime() + (long) (new SplittableRandom().nextDouble(2, 8) * 1e9);
            boolean midUpload = false;
            while (System.nanoTime() < killBy) {
                try (var files = Files.list(ckptDir)) {
                    if (files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp-upload"))) {
                        midUpload = true;
                        break;
                    }
                } catch (IOException e) {
                    // a file vanished while listing: look again
                }
            }
            Rig.kill(first);
            more.join();
            List<String> left;
            try (var files = Files.list(ckptDir)) {
                left = files.map(p -> p.getFileName().toString()).sorted().toList();
            }
            System.out.println("[reliability] SIGKILL trainer " + (midUpload ? "while a checkpoint upload was in progress"
                    : "at a random moment (no upload caught in progress)") + "; checkpoint objects left: " + left);

            // The last complete checkpoint: found, its SHA-256 verified on read, and a generator network loads it.
            CheckpointInfo last = checkpoints.latest(Rig.MODEL).orElseThrow();
            Checkpoint c = Checkpoint.readFrom(new ByteArrayInputStream(checkpoints.read(last)));
            try (GeneratorNetwork net = GeneratorNetwork.fromCheckpoint(c, Device.cpu())) {
                assertEquals(Rig.WIDTH, net.config().width());
            }
            System.out.println("[reliability] last complete checkpoint after the kill: " + last.version() + " (step "
                    + last.step() + "), SHA-256 verified, loads into a generator network");

            // Restart: it resumes from that checkpoint and its next one is further on.
            LocalStack.Service second = Rig.trainer(stack, "trainer-restarted", bootstrap, store, 2, List.of());
            Rig.awaitReady(stack, second);
            stack.awaitLog(second, "resuming from checkpoint", Duration.ofMinutes(2));
            Matcher m = Pattern.compile("resuming from checkpoint (\\d+) \\(epoch \\d+, step (\\d+)[,)]")
                    .matcher(Files.readString(second.log()));
            assertTrue(m.find(), "resume line");
            assertEquals(last.version(), m.group(1), "resumed from the last complete checkpoint");
            assertEquals(last.step(), Long.parseLong(m.group(2)));
            deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            Optional<CheckpointInfo> next = Optional.empty();
            while (next.isEmpty() && System.nanoTime() < deadline) {
                next = checkpoints.versions(Rig.MODEL).stream().filter(v -> v.version().compareTo(last.version()) > 0).findFirst();
                Rig.sleep(200);
            }
            assertTrue(next.isPresent(), "the restarted trainer published a checkpoint");
            assertTrue(next.get().step() > last.step(), "new checkpoint step " + next.get().step() + " > " + last.step());
            System.out.println("[reliability] restarted trainer resumed from " + last.version() + " (step " + last.step()
                    + "); its first new checkpoint " + next.get().version() + " is at step " + next.get().step());

            // Replays store nothing twice: send every pair again, then count objects.
            produce(bootstrap, "pair", 0, 48, produced);
            deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (Rig.storedPairs(store).size() < produced.size() && System.nanoTime() < deadline) {
                Rig.sleep(300);
            }
            // The replay is consumed once the lag is back to zero; only then is the count final.
            double lag = Double.NaN;
            while (System.nanoTime() < deadline) {
                lag = Rig.metric(stack, second, "cimle_trainer_consumer_lag", null);
                if (lag == 0) {
                    break;
                }
                Rig.sleep(500);
            }
            int stored = Rig.storedPairs(store).size();
            System.out.println("[reliability] training pairs: produced " + produced.size() + " distinct ids (96 records "
                    + "with the replay, some in flight at the kill), stored objects " + stored + ", consumer lag " + lag);
            assertEquals(0.0, lag, "the replay was consumed");
            assertEquals(produced.size(), stored, "every pair stored exactly once");
            assertTrue(second.process().isAlive());
        }
    }

    private static void produce(String bootstrap, String prefix, int from, int to, Set<String> ids) {
        try (KafkaProducer<String, byte[]> p = Rig.producer(bootstrap)) {
            for (int i = from; i < to; i++) {
                LayoutImagePair pair = Rig.pair(prefix + "-" + i, 3, i);
                synchronized (ids) {
                    ids.add(pair.getId());
                }
                p.send(new ProducerRecord<>(Topics.LAYOUTS_TRAINING, pair.getId(), pair.toByteArray()));
            }
            p.flush();
        }
    }
}
