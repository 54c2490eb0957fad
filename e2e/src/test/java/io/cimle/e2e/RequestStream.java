package io.cimle.e2e;

import io.cimle.cli.client.SampleClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * A client's steady stream of requests at a fixed rate, as the fault suites send them: it remembers
 * each request's partition (from the producer's acknowledgement) and counts sends that failed.
 */
final class RequestStream {
    /** layouts.requests partition of every request sent, from the producer's acknowledgement. */
    final Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
    final AtomicLong sendFailures = new AtomicLong();

    /**
     * Sends {@code n} requests of {@code samples} samples at {@code perSecond}, calling {@code atSent}
     * after each with the count so far; returns their ids once every send is acknowledged or failed.
     */
    List<String> send(SampleClient client, String prefix, int n, int samples, double perSecond, IntConsumer atSent) {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<SampleClient.Sent>> sends = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            sends.add(client.sendAsync(id, Rig.request(id, i % 8, samples).toByteArray()).whenComplete((md, e) -> {
                if (md != null) {
                    partitionOf.put(md.key(), md.partition());
                }
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
}
