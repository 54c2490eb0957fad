package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.cli.client.SampleClient;
import io.cimle.cli.demo.LocalStack;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults around the generator, with the packaged service as two real processes in one consumer group
 * (layouts.requests has 2 partitions) and a real broker whose log lives in a directory: a checkpoint
 * switch under load, a broker restart mid-stream, a generator killed with SIGKILL mid-batch. Every
 * request must get its complete answer; repeats of (request id, index) are counted, never losses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratorFaultsTest {
    private Path dir;
    private LocalKafkaBroker broker;
    private LocalStack stack;
    private LocalStack.Service a;
    private LocalStack.Service b;
    private Path store;
    private String bootstrap;
    private final RequestStream requests = new RequestStream();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("cimle-genfaults-");
        broker = LocalKafkaBroker.startPersistent(dir.resolve("kafka"), 0);
        broker.createSystemTopics(2);
        bootstrap = broker.bootstrapServers();
        store = dir.resolve("store");
        Rig.publishTiny(store, 1);
        stack = new LocalStack(dir.resolve("logs"));
        a = Rig.generator(stack, "generator-a", bootstrap, store, List.of());
        b = Rig.generator(stack, "generator-b", bootstrap, store, List.of());
        Rig.awaitReady(stack, a, b);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
        if (broker != null) {
            broker.close();
        }
        System.out.println("[reliability] logs of GeneratorFaultsTest in " + dir.resolve("logs"));
    }

    @Test
    @Order(1)
    void aCheckpointPublishedUnderLoadFailsNoRequest() throws Exception {
        int n = 300;
        List<CheckpointInfo> published = new ArrayList<>();
        try (SampleClient replies = new SampleClient(bootstrap)) {
            List<String> ids = requests.send(replies, "switch", n, 2, 30, sent -> {
                if (sent == n / 3 || sent == 2 * n / 3) {
                    try {
                        CheckpointInfo info = Rig.publishTiny(store, 1 + published.size() + 1);
                        Rig.announce(bootstrap, info);
                        published.add(info);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            List<String> missing = replies.awaitAnswered(ids, Duration.ofMinutes(2));
            Map<String, Long> byVersion = Tally.versionsOf(replies, ids);
            System.out.printf("[reliability] checkpoint switch under load: sent %d, answered %d, errors %d, lost %d, "
                    + "duplicates dropped %d, versions published mid-stream %s, requests per version %s%n", n,
                    n - missing.size(), Tally.errors(replies, ids), missing.size(), Tally.duplicates(replies, ids),
                    published.stream().map(CheckpointInfo::version).toList(), byVersion);
            assertEquals(0, requests.sendFailures.get());
            assertEquals(List.of(), missing, "requests without a complete answer");
            assertEquals(0, Tally.errors(replies, ids), "no request fails during the switch");
            assertEquals(2L * n, Tally.distinctSamples(replies, ids));
            assertTrue(byVersion.size() >= 2, "the switch happened under load: " + byVersion);
            assertTrue(byVersion.containsKey(published.get(published.size() - 1).version())
                    || byVersion.containsKey(published.get(0).version()), "a new version served requests: " + byVersion);
        }
    }

    @Test
    @Order(2)
    void aBrokerRestartMidStreamLosesNoRequest() throws Exception {
        int n = 500;
        long[] downMs = new long[1];
        try (SampleClient replies = new SampleClient(bootstrap)) {
            List<String> ids = requests.send(replies, "restart", n, 1, 25, sent -> {
                if (sent == 200) {
                    long t0 = System.nanoTime();
                    broker.stopServer();
                    Rig.sleep(2000);
                    broker.restart();
                    downMs[0] = (System.nanoTime() - t0) / 1_000_000;
                    System.out.println("[reliability] broker stopped and restarted in " + downMs[0] + " ms after request 200");
                }
            });
            List<String> missing = replies.awaitAnswered(ids, Duration.ofMinutes(3));
            long dups = Tally.duplicates(replies, ids);
            System.out.printf("[reliability] broker restart mid-stream: sent %d, answered %d (errors %d), lost %d, "
                    + "duplicates dropped by (request id, index) %d, broker down %d ms%n", n, n - missing.size(),
                    Tally.errors(replies, ids), missing.size(), dups, downMs[0]);
            assertEquals(0, requests.sendFailures.get(), "every request reached the broker");
            assertEquals(List.of(), missing, "requests without a complete answer");
            assertEquals(0, Tally.errors(replies, ids), "a broker restart is not the request's fault");
            assertEquals(n, Tally.distinctSamples(replies, ids), "one distinct sample per request");
            assertTrue(a.process().isAlive() && b.process().isAlive(), "both generators survived the restart");
        }
    }

    /**
     * SIGKILL of one generator of two in the middle of a burst that saturates both: every request is
     * answered. (The bound on failover time is {@link #aKilledGeneratorsPartitionIsServedWithinTenSeconds}:
     * here the survivor drains its own backlog first, so the wait is capacity, not failover.)
     */
    @Test
    @Order(3)
    void aGeneratorKilledMidBatchLosesNoRequest() throws Exception {
        int n = 300;
        int samples = 16;
        try (SampleClient replies = new SampleClient(bootstrap)) {
            List<String> ids = requests.send(replies, "kill", n, samples, 1000, sent -> { });
            // Kill once both are busy: some answers out, most still to come.
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (ids.stream().filter(id -> Tally.complete(replies, id)).count() < n / 10 && System.nanoTime() < deadline) {
                Rig.sleep(50);
            }
            Set<Integer> deadPartitions = partitionsOf(a);
            assertEquals(1, deadPartitions.size(), "generator-a holds one of the 2 partitions: " + deadPartitions);
            double answeredByA = Rig.metric(stack, a, "cimle_generator_requests_total", "outcome=\"ok\"");
            long answeredBefore = ids.stream().filter(id -> Tally.complete(replies, id)).count();
            List<String> waitingOnA = ids.stream().filter(id -> deadPartitions.contains(requests.partitionOf.get(id))
                    && !Tally.complete(replies, id)).toList();
            Rig.kill(a);
            System.out.println("[reliability] SIGKILL generator-a after " + answeredBefore + " of " + n
                    + " requests were answered (generator-a had answered " + answeredByA + " of all requests so far; "
                    + waitingOnA.size() + " requests on its partition " + deadPartitions + " still unanswered)");
            assertTrue(waitingOnA.size() > 0, "the kill left requests on generator-a's partition to fail over");
            List<String> missing = replies.awaitAnswered(ids, Duration.ofMinutes(3));
            System.out.printf("[reliability] generator SIGKILL mid-batch: sent %d (%d samples each), answered %d "
                    + "(errors %d), lost %d, duplicates dropped %d%n", n, samples, n - missing.size(), Tally.errors(replies, ids),
                    missing.size(), Tally.duplicates(replies, ids));
            assertEquals(0, requests.sendFailures.get());
            assertEquals(List.of(), missing, "requests without a complete answer");
            assertEquals(0, Tally.errors(replies, ids));
            assertEquals((long) n * samples, Tally.distinctSamples(replies, ids));
            assertTrue(b.process().isAlive());
        }
    }

    /**
     * Failover under the shipped consumer settings (session.timeout.ms 6000, heartbeat.interval.ms
     * 1000; no override here): a steady stream the two generators keep up with, one of them SIGKILLed
     * mid-stream; the survivor answers a request on the dead generator's partition within 10 s of the
     * kill, and every request is answered. Timed on the requests of that partition sent after the kill
     * (only the survivor can answer those; one sample each, so an answer is its one reply): the first
     * such answer, an upper bound on the first answer of any kind there.
     */
    @Test
    @Order(4)
    void aKilledGeneratorsPartitionIsServedWithinTenSeconds() throws Exception {
        if (a.process().isAlive()) {
            Rig.kill(a); // run on its own: the group is to be generator-b and generator-c, one partition each
        }
        LocalStack.Service c = Rig.generator(stack, "generator-c", bootstrap, store, List.of());
        Rig.awaitReady(stack, c);
        long joined = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while ((partitionsOf(c).isEmpty() || partitionsOf(b).isEmpty()) && System.nanoTime() < joined) {
            Rig.sleep(500);
        }
        Set<Integer> partitionsOfC = partitionsOf(c);
        assertEquals(1, partitionsOfC.size(), "generator-b and generator-c share the 2 partitions: " + partitionsOfC);
        int n = 400;
        int killAfter = 100;
        double rate = 20;
        long[] kill = new long[2]; // nanoTime before the SIGKILL, requests c had answered
        try (SampleClient replies = new SampleClient(bootstrap)) {
            // Warm up (the first forward passes of a fresh JVM are slow): both serve their partition at the rate.
            List<String> warm = requests.send(replies, "warm", 40, 1, rate, sent -> { });
            assertEquals(List.of(), replies.awaitAnswered(warm, Duration.ofMinutes(1)), "warm-up answered");
            List<String> ids = requests.send(replies, "failover", n, 1, rate, sent -> {
                if (sent == killAfter) { // requests 0 .. killAfter-1 are out, the rest follow the kill
                    kill[1] = (long) Rig.metric(stack, c, "cimle_generator_requests_total", "outcome=\"ok\"");
                    kill[0] = System.nanoTime();
                    try {
                        Rig.kill(c);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            List<String> missing = replies.awaitAnswered(ids, Duration.ofMinutes(2));
            List<String> afterKillOnC = ids.subList(killAfter, n).stream()
                    .filter(id -> partitionsOfC.contains(requests.partitionOf.get(id))).toList();
            assertTrue(afterKillOnC.size() > 50, "the stream goes on to generator-c's partition: " + afterKillOnC.size());
            long failoverMs = (afterKillOnC.stream().map(replies::receipt).filter(r -> r != null && r.complete())
                    .mapToLong(SampleClient.Receipt::completedNanos).min()
                    .orElseThrow(() -> new AssertionError("no answer on generator-c's partition after the kill")) - kill[0])
                    / 1_000_000;
            System.out.printf("[reliability] failover: generator-c (partition %s) SIGKILLed after %d of %d requests "
                    + "(%.0f/s, 1 sample each; it had answered %d); first answer to a request on its partition sent "
                    + "after the kill: %d ms after the kill "
                    + "(shipped session.timeout.ms 6000, heartbeat.interval.ms 1000); answered %d (errors %d), lost %d, "
                    + "duplicates dropped %d%n", partitionsOfC, killAfter, n, rate, kill[1], failoverMs, n - missing.size(),
                    Tally.errors(replies, ids), missing.size(), Tally.duplicates(replies, ids));
            assertTrue(kill[1] > warm.stream().filter(id -> partitionsOfC.contains(requests.partitionOf.get(id))).count(),
                    "generator-c was serving its partition when it was killed: " + kill[1]);
            assertEquals(0, requests.sendFailures.get());
            assertEquals(List.of(), missing, "requests without a complete answer");
            assertEquals(0, Tally.errors(replies, ids));
            assertTrue(b.process().isAlive());
            assertTrue(failoverMs < 10_000, "the survivor answers the dead generator's partition within 10 s of the kill: "
                    + failoverMs + " ms");
        }
    }

    private Set<Integer> partitionsOf(LocalStack.Service generator) {
        try {
            return Rig.partitionsOf(bootstrap, "cimle-generator", generator.name(), Topics.LAYOUTS_REQUESTS);
        } catch (Exception e) {
            return Set.of();
        }
    }
}
