package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.cli.client.SampleClient;
import io.cimle.cli.demo.LocalStack;
import io.cimle.kafka.LocalKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded load test on loopback (long suite): one generator at a steady rate for
 * {@code -Dcimle.soak.minutes} (default 6) minutes, sampling its RSS (/proc/PID/status), its consumer
 * lag (cimle_generator_consumer_lag) and request latency. Memory must stay flat (no leak of native
 * tensors: the last quarter's mean RSS within 15% of the second quarter's) and the lag return to zero.
 */
@Tag("long")
class SoakLongTest {
    static final double MINUTES = Double.parseDouble(System.getProperty("cimle.soak.minutes", "6"));
    static final double RATE = Double.parseDouble(System.getProperty("cimle.soak.rate", "20"));
    static final int SAMPLES = Integer.getInteger("cimle.soak.samples", 2);

    @Test
    void steadyLoadKeepsMemoryFlatAndLagReturnsToZero(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("store");
        Rig.publishTiny(store, 1);
        try (LocalKafkaBroker broker = LocalKafkaBroker.startTemporary(); LocalStack stack = new LocalStack(dir.resolve("logs"))) {
            broker.createSystemTopics(2);
            String bootstrap = broker.bootstrapServers();
            // A committed, pre-touched heap: RSS growth is then native (tensors), metaspace or JIT, not the heap expanding.
            LocalStack.Service gen = Rig.generator(stack, "generator", bootstrap, store,
                    List.of("-Xmx384m", "-Xms384m", "-XX:+AlwaysPreTouch"));
            Rig.awaitReady(stack, gen);
            List<long[]> samples = Collections.synchronizedList(new ArrayList<>()); // {t ms, rss KiB, lag}
            long start = System.currentTimeMillis();
            long end = start + (long) (MINUTES * 60_000);
            Thread sampler = new Thread(() -> {
                while (System.currentTimeMillis() < end + 60_000 && !Thread.currentThread().isInterrupted()) {
                    double lag = Rig.metric(stack, gen, "cimle_generator_consumer_lag", null);
                    samples.add(new long[] {System.currentTimeMillis() - start, Rig.rssKb(gen), Double.isNaN(lag) ? -1 : (long) lag});
                    try {
                        Thread.sleep(5000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "soak-sampler");
            List<String> ids = new ArrayList<>();
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            try (SampleClient replies = new SampleClient(bootstrap)) {
                sampler.start();
                for (int i = 0; System.currentTimeMillis() < end; i++) {
                    String id = "soak-" + i;
                    ids.add(id);
                    sentAt.put(id, System.currentTimeMillis());
                    replies.sendAsync(id, Rig.request(id, i % 16, SAMPLES).toByteArray());
                    long due = start + (long) ((i + 1) * 1000 / RATE);
                    long wait = due - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                }
                List<String> missing = replies.awaitAnswered(ids, Duration.ofMinutes(2));
                // The lag gauge is updated after each batch: wait for it to read zero.
                double lag = Double.NaN;
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    lag = Rig.metric(stack, gen, "cimle_generator_consumer_lag", null);
                    if (lag == 0) {
                        break;
                    }
                    Thread.sleep(1000);
                }
                sampler.interrupt();
                sampler.join();
                List<Long> latencies = new ArrayList<>();
                for (String id : ids) {
                    SampleClient.Receipt r = replies.receipt(id);
                    if (r != null && r.completedAtMs() > 0) {
                        latencies.add(r.completedAtMs() - sentAt.get(id));
                    }
                }
                Collections.sort(latencies);
                List<long[]> during;
                synchronized (samples) {
                    during = samples.stream().filter(s -> s[0] <= end - start && s[1] > 0).toList();
                }
                int q = during.size() / 4;
                double q2 = during.subList(q, 2 * q).stream().mapToLong(s -> s[1]).average().orElse(Double.NaN);
                double q4 = during.subList(3 * q, during.size()).stream().mapToLong(s -> s[1]).average().orElse(Double.NaN);
                long maxLag = during.stream().mapToLong(s -> s[2]).max().orElse(-1);
                System.out.printf("[reliability] soak: %.1f min at %.0f requests/s x %d samples: sent %d, answered %d, "
                        + "lost %d, duplicates dropped %d; latency p50 %d ms p99 %d ms max %d ms; RSS 2nd-quarter mean %.0f MiB, "
                        + "last-quarter mean %.0f MiB (%+.1f%%); max lag %d, final lag %.0f; %d samples of RSS/lag%n",
                        MINUTES, RATE, SAMPLES, ids.size(), ids.size() - missing.size(), missing.size(),
                        Tally.duplicates(replies, ids), pct(latencies, 0.5), pct(latencies, 0.99), pct(latencies, 1.0),
                        q2 / 1024, q4 / 1024, 100 * (q4 - q2) / q2, maxLag, lag, during.size());
                for (long[] s : during) {
                    System.out.printf("[reliability] soak sample t=%ds rss=%dMiB lag=%d%n", s[0] / 1000, s[1] / 1024, s[2]);
                }
                assertEquals(List.of(), missing.size() > 20 ? missing.subList(0, 20) : missing, "unanswered requests");
                assertEquals(0.0, lag, "the lag returns to zero");
                assertTrue(during.size() >= 8, "enough samples: " + during.size());
                assertTrue(Math.abs(q4 - q2) <= 0.15 * q2, "RSS flat: 2nd quarter " + q2 + " KiB, last quarter " + q4 + " KiB");
            }
        }
    }

    static long pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1 < 0 ? 0 : (int) Math.ceil(p * sorted.size()) - 1));
    }
}
