package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.cli.client.SampleClient;
import io.cimle.cli.demo.LocalStack;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.kafka.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import java.util.concurrent.atomic.AtomicLong;
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

    /** Sends {@code n} requests at {@code perSecond}, calling {@code atSent} after each with the count. */
    private List<String> stream(SampleClient client, String prefix, int n, int samples, double perSecond,
            IntConsumer atSent, AtomicLong sendFailures) {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<SampleClient.Sent>> sends = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            sends.add(client.sendAsync(id, Rig.request(id, i % 8, samples).toByteArray()).whenComplete((md, e) -> {
                if (e != null) {
                    sendFailures.incrementAndGet();
                    System.out.println("[reliability] send failed: " + e);
                }
            }));
            atSent.accept(i + 1);
            long due = start + (long) ((i + 1) * 1e9 / perSecond);
            long wait = (due - System.nanoTime()) / 1_000_000;
            if (wait > 0) {
                Rig.sleep(wait);
            }
        }
        sends.forEach(f -> f.exceptionally(e -> null).join());
        return ids;
    }

    @Test
    @Order(1)
    void aCheckpointPublishedUnderLoadFailsNoRequest() throws Exception {
        int n = 300;
        AtomicLong sendFailures = new AtomicLong();
        List<CheckpointInfo> published = new ArrayList<>();
        try (SampleClient replies = new SampleClient(bootstrap)) {
            List<String> ids = stream(replies, "switch", n, 2, 30, sent -> {
                if (sent == n / 3 || sent == 2 * n / 3) {
                    try {
                        CheckpointInfo info = Rig.publishTiny(store, 1 + published.size() + 1);
                        Rig.announce(bootstrap, info);
                        published.add(info);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, sendFailures);
            List<String> missing = replies.awaitAnswered(ids, Duration.ofMinutes(2));
            Map<String, Long> byVersion = Tally.versionsOf(replies, ids);
            System.out.printf("[reliability] checkpoint switch under load: sent %d, answered %d, errors %d, lost %d, "
                    + "duplicates dropped %d, versions published mid-stream %s, requests per version %s%n", n,
                    n - missing.size(), Tally.errors(replies, ids), missing.size(), Tally.duplicates(replies, ids),
                    published.stream().map(CheckpointInfo::version).toList(), byVersion);
            assertEquals(0, sendFailures.get());
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
        AtomicLong sendFailures = new AtomicLong();
        long[] downMs = new long[1];
        try (SampleClient replies = new SampleClient(bootstrap)) {
            List<String> ids = stream(replies, "restart", n, 1, 25, sent -> {
                if (sent == 200) {
                    long t0 = System.nanoTime();
                    broker.stopServer();
                    Rig.sleep(2000);
                    broker.restart();
                    downMs[0] = (System.nanoTime() - t0) / 1_000_000;
                    System.out.println("[reliability] broker stopped and restarted in " + downMs[0] + " ms after request 200");
                }
            }, sendFailures);
            List<String> missing = replies.awaitAnswered(ids, Duration.ofMinutes(3));
            long dups = Tally.duplicates(replies, ids);
            System.out.printf("[reliability] broker restart mid-stream: sent %d, answered %d (errors %d), lost %d, "
                    + "duplicates dropped by (request id, index) %d, broker down %d ms%n", n, n - missing.size(),
                    Tally.errors(replies, ids), missing.size(), dups, downMs[0]);
            assertEquals(0, sendFailures.get(), "every request reached the broker");
            assertEquals(List.of(), missing, "requests without a complete answer");
            assertEquals(0, Tally.errors(replies, ids), "a broker restart is not the request's fault");
            assertEquals(n, Tally.distinctSamples(replies, ids), "one distinct sample per request");
            assertTrue(a.process().isAlive() && b.process().isAlive(), "both generators survived the restart");
        }
    }

    @Test
    @Order(3)
    void aGeneratorKilledMidBatchLosesNoRequest() throws Exception {
        int n = 300;
        int samples = 16;
        AtomicLong sendFailures = new AtomicLong();
        try (SampleClient replies = new SampleClient(bootstrap)) {
            List<String> ids = stream(replies, "kill", n, samples, 1000, sent -> { }, sendFailures);
            // Kill once both are busy: some answers out, most still to come.
            List<String> firstTenth = ids.subList(0, n);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (firstTenth.stream().filter(id -> Tally.complete(replies, id)).count() < n / 10 && System.nanoTime() < deadline) {
                Rig.sleep(50);
            }
            double answeredByA = Rig.metric(stack, a, "cimle_generator_requests_total", "outcome=\"ok\"");
            long answeredBefore = ids.stream().filter(id -> Tally.complete(replies, id)).count();
            Rig.kill(a);
            System.out.println("[reliability] SIGKILL generator-a after " + answeredBefore + " of " + n
                    + " requests were answered (generator-a had answered " + answeredByA + " of all requests so far)");
            List<String> missing = replies.awaitAnswered(ids, Duration.ofMinutes(3));
            System.out.printf("[reliability] generator SIGKILL mid-batch: sent %d (%d samples each), answered %d "
                    + "(errors %d), lost %d, duplicates dropped %d%n", n, samples, n - missing.size(), Tally.errors(replies, ids),
                    missing.size(), Tally.duplicates(replies, ids));
            assertEquals(0, sendFailures.get());
            assertEquals(List.of(), missing, "requests without a complete answer");
            assertEquals(0, Tally.errors(replies, ids));
            assertEquals((long) n * samples, Tally.distinctSamples(replies, ids));
            assertTrue(b.process().isAlive());
        }
    }
}
