package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cimle.cli.demo.LocalStack;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.LayoutImagePair;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing with real processes: two trainers on one store compete for one Lease (fabric8's Kubernetes API
 * server in CRUD mode, in this JVM); a generator follows the checkpoints. The leader is SIGSTOPped past
 * its lease, the standby takes over and publishes, then the old leader is SIGCONTed: it resumes mid-step
 * believing it still leads (its elector only gives up after the renew deadline) and checkpoints every step,
 * so it tries to publish at once. It must publish nothing, LATEST must never go back in (term, step), no
 * version may be overwritten, and the generator must never serve an older model.
 */
class TrainerFencingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStaleLeaderThatWakesUpPublishesNothing(@TempDir Path dir) throws Exception {
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), Ports.free());
        Path store = dir.resolve("store");
        CheckpointStore checkpoints = Rig.checkpoints(store);
        Watch watch = new Watch(checkpoints);
        try (LocalKafkaBroker broker = LocalKafkaBroker.startTemporary(); LocalStack stack = new LocalStack(dir.resolve("logs"))) {
            broker.createSystemTopics(2);
            String bootstrap = broker.bootstrapServers();
            List<String> election = List.of("-Dcimle.trainer.leader-election.enabled=true",
                    "-Dcimle.trainer.leader-election.namespace=test",
                    "-Dcimle.trainer.leader-election.lease-duration-seconds=4",
                    "-Dcimle.trainer.leader-election.renew-deadline-seconds=3",
                    "-Dcimle.trainer.leader-election.retry-period-seconds=1",
                    "-Dquarkus.kubernetes-client.api-server-url=http://127.0.0.1:" + api.getPort(),
                    "-Dquarkus.kubernetes-client.namespace=test", "-Dquarkus.kubernetes-client.trust-certs=true");
            LocalStack.Service a = Rig.trainer(stack, "trainer-a", bootstrap, store, 1, withIdentity(election, "trainer-a"));
            Rig.awaitReady(stack, a);
            produce(bootstrap, 24);
            awaitStatus(stack, a, s -> s.path("leader").asBoolean() && s.path("version").asText().length() > 0,
                    "trainer-a leads and has published");
            LocalStack.Service b = Rig.trainer(stack, "trainer-b", bootstrap, store, 1, withIdentity(election, "trainer-b"));
            LocalStack.Service generator = Rig.generator(stack, "generator", bootstrap, store, List.of());
            Rig.awaitReady(stack, b, generator);
            watch.start(stack, generator);
            Rig.sleep(1500);
            long termA = status(stack, a).path("term").asLong();
            assertFalse(status(stack, b).path("leader").asBoolean(), "one leader at a time");

            // The leader stalls past its lease: the standby takes over, claims a newer term and publishes.
            signal(a, "STOP");
            long stopped = System.nanoTime();
            CheckpointInfo byB = awaitLatest(checkpoints, info -> info.term() > termA, "trainer-b publishes", stack, b);
            long takeoverMs = (System.nanoTime() - stopped) / 1_000_000;
            Rig.sleep(2000);
            // The stale leader wakes up mid-step, still believing it leads.
            signal(a, "CONT");
            long woke = System.nanoTime();
            JsonNode fenced = awaitStatus(stack, a, s -> !s.path("leader").asBoolean() || "FENCED".equals(s.path("phase").asText()),
                    "trainer-a steps down");
            Rig.sleep(4000);
            double refused = Rig.metric(stack, a, "cimle_trainer_fenced_total", null);
            watch.stop();
            String logA = Files.readString(a.log());
            long publishedByA = watch.versions.values().stream().filter(v -> v.term() == termA
                    && v.createdAtMs() > System.currentTimeMillis() - (System.nanoTime() - woke) / 1_000_000).count();
            System.out.printf("[reliability] fencing: trainer-a (term %d) SIGSTOPped; trainer-b took over in %d ms and "
                    + "published %s (term %d, step %d); trainer-a SIGCONTed: phase %s, refused publications %.0f, "
                    + "versions it published after waking %d; LATEST seen %d times, went back %d times; versions "
                    + "overwritten %d; generator served %s, went back %d times%n", termA, takeoverMs, byB.version(),
                    byB.term(), byB.step(), fenced.path("phase").asText(), refused, publishedByA, watch.latestSeen,
                    watch.latestBack, watch.overwritten, watch.served, watch.servedBack);
            assertEquals(0, publishedByA, "the stale leader published nothing after it woke");
            assertEquals(0, watch.latestBack, "LATEST never went back in (term, step)");
            assertEquals(0, watch.overwritten, "no version was overwritten");
            assertEquals(0, watch.servedBack, "the generator never served an older model");
            assertTrue(checkpoints.latest(Rig.MODEL).orElseThrow().term() > termA, "the newer term holds LATEST");
            assertTrue(refused >= 1 || logA.contains("lost the lease"), "trainer-a was fenced or stepped down: "
                    + refused);
            assertTrue(a.process().isAlive(), "the stale leader stops training, it does not crash");
        } finally {
            watch.stop();
            api.destroy();
        }
    }

    /** Polls LATEST, every sidecar and the generator's served model, recording any step backwards. */
    private static final class Watch {
        final CheckpointStore checkpoints;
        final Map<String, CheckpointInfo> versions = new ConcurrentHashMap<>();
        volatile int latestSeen;
        volatile int latestBack;
        volatile int overwritten;
        volatile int servedBack;
        volatile String served = "";
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread thread;

        Watch(CheckpointStore checkpoints) {
            this.checkpoints = checkpoints;
        }

        void start(LocalStack stack, LocalStack.Service generator) {
            running.set(true);
            thread = new Thread(() -> {
                long[] latest = {-1, -1};
                long[] generated = {-1, -1};
                while (running.get()) {
                    try {
                        CheckpointInfo l = checkpoints.latest(Rig.MODEL).orElse(null);
                        if (l != null) {
                            latestSeen++;
                            if (l.term() < latest[0] || (l.term() == latest[0] && l.step() < latest[1])) {
                                latestBack++;
                            }
                            latest[0] = l.term();
                            latest[1] = l.step();
                        }
                        for (CheckpointInfo v : checkpoints.versions(Rig.MODEL)) {
                            CheckpointInfo before = versions.putIfAbsent(v.version(), v);
                            if (before != null && !before.sha256().equals(v.sha256())) {
                                overwritten++;
                            }
                        }
                        JsonNode m = JSON.readTree(stack.get(generator, "/api/model"));
                        long term = m.path("term").asLong();
                        long step = m.path("step").asLong();
                        if (m.has("step")) {
                            served = m.path("version").asText() + " (term " + term + ", step " + step + ")";
                            if (term < generated[0] || (term == generated[0] && step < generated[1])) {
                                servedBack++;
                            }
                            generated[0] = term;
                            generated[1] = step;
                        }
                    } catch (Exception e) {
                        // a version removed by retention between list and read, a generator between answers
                    }
                    Rig.sleep(100);
                }
            }, "fencing-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(5000);
            }
        }
    }

    private static List<String> withIdentity(List<String> args, String identity) {
        List<String> out = new ArrayList<>(args);
        out.add("-Dcimle.trainer.leader-election.identity=" + identity);
        return out;
    }

    private static void signal(LocalStack.Service s, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(s.process().pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    private static JsonNode status(LocalStack stack, LocalStack.Service s) throws Exception {
        return JSON.readTree(stack.get(s, "/api/trainer/status"));
    }

    private static JsonNode awaitStatus(LocalStack stack, LocalStack.Service s, Predicate<JsonNode> ok,
            String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = status(stack, s);
                if (ok.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                // not answering yet
            }
            Rig.sleep(200);
        }
        throw new AssertionError("timed out: " + what + "; last status " + last);
    }

    /** On a timeout the message carries {@code waitedOn}'s status and the end of its log: why it did not. */
    private static CheckpointInfo awaitLatest(CheckpointStore checkpoints, Predicate<CheckpointInfo> ok,
            String what, LocalStack stack, LocalStack.Service waitedOn) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            CheckpointInfo l = checkpoints.latest(Rig.MODEL).orElse(null);
            if (l != null && ok.test(l)) {
                return l;
            }
            Rig.sleep(200);
        }
        String status;
        try {
            status = status(stack, waitedOn).toString();
        } catch (Exception e) {
            status = "no status: " + e;
        }
        throw new AssertionError("timed out: " + what + "; LATEST " + checkpoints.latest(Rig.MODEL) + "; "
                + waitedOn.name() + " status " + status + "; its log ends:\n" + LocalStack.tail(waitedOn.log(), 60));
    }

    private static void produce(String bootstrap, int n) {
        try (KafkaProducer<String, byte[]> p = Rig.producer(bootstrap)) {
            for (int i = 0; i < n; i++) {
                LayoutImagePair pair = Rig.pair("fence-" + i, 9, i);
                p.send(new ProducerRecord<>(Topics.LAYOUTS_TRAINING, pair.getId(), pair.toByteArray()));
            }
            p.flush();
        }
    }
}
