package io.cimle.e2e;

import io.cimle.cli.client.SampleClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Sums over the {@link SampleClient}'s receipts for a set of requests: what a client keeps (distinct
 * (request id, index)), what it drops (the repeats at-least-once delivery may bring), errors and
 * which model versions answered. The fault suites print these and assert on them.
 */
final class Tally {
    private Tally() {
    }

    static boolean complete(SampleClient client, String id) {
        SampleClient.Receipt r = client.receipt(id);
        return r != null && r.complete();
    }

    static long distinctSamples(SampleClient client, List<String> ids) {
        return ids.stream().map(client::receipt).filter(r -> r != null).mapToLong(SampleClient.Receipt::distinct).sum();
    }

    static long duplicates(SampleClient client, List<String> ids) {
        return ids.stream().map(client::receipt).filter(r -> r != null).mapToLong(SampleClient.Receipt::duplicates).sum();
    }

    static long errors(SampleClient client, List<String> ids) {
        return ids.stream().map(client::receipt).filter(r -> r != null && r.error() != null).count();
    }

    /** Model version -> number of the given requests with a sample from it. */
    static Map<String, Long> versionsOf(SampleClient client, List<String> ids) {
        Map<String, Long> out = new TreeMap<>();
        for (String id : ids) {
            SampleClient.Receipt r = client.receipt(id);
            if (r != null) {
                r.samplesByVersion().keySet().forEach(v -> out.merge(v, 1L, Long::sum));
            }
        }
        return out;
    }

    /** Polls until {@code done} holds for every item or the timeout passes; returns the items for which it does not. */
    static <T> List<T> awaitAll(List<T> items, Predicate<T> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> missing = new ArrayList<>(items);
        while (true) {
            missing.removeIf(done);
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                return missing;
            }
            Rig.sleep(200);
        }
    }
}
