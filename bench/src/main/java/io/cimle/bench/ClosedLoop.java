package io.cimle.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Offered load the way Triton's perf analyzer makes it: {@code clients} threads, each sending its
 * next request as soon as its previous one is answered, for a fixed time. One point of a
 * latency-throughput curve: p50/p99 of the per-request latency and samples per second.
 */
final class ClosedLoop {
    /** One request; returns its latency in ms (the path may measure it more precisely than the wall clock). */
    interface Call {
        double call(int client, int index) throws Exception;
    }

    private ClosedLoop() {
    }

    static ObjectNode run(int clients, Duration length, int samplesPerRequest, Call call) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong lastDone = new AtomicLong();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                loops.add(pool.submit(() -> {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        latencies.add(call.call(client, i));
                        lastDone.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                    return null;
                }));
            }
            for (Future<?> f : loops) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return point(clients, latencies, samplesPerRequest, lastDone.get() - start);
    }

    /**
     * One client per path, the paths taking turns in {@code rounds} slices of {@code length / rounds}
     * each, so every path's point spans the same window; returns one point per path (1 client).
     */
    static Map<String, ObjectNode> interleaved(Map<String, Call> paths, Duration length, int rounds,
                                               int samplesPerRequest) throws Exception {
        Map<String, List<Double>> latencies = new TreeMap<>();
        Map<String, Long> busyNanos = new TreeMap<>();
        long slice = length.toNanos() / rounds;
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Call> path : new TreeMap<>(paths).entrySet()) {
                List<Double> mine = latencies.computeIfAbsent(path.getKey(), k -> new ArrayList<>());
                long start = System.nanoTime();
                for (int i = mine.size(); System.nanoTime() - start < slice; i++) {
                    mine.add(path.getValue().call(0, i));
                }
                busyNanos.merge(path.getKey(), System.nanoTime() - start, Long::sum);
            }
        }
        Map<String, ObjectNode> points = new TreeMap<>();
        latencies.forEach((name, l) -> points.put(name,
                point(1, l, samplesPerRequest, busyNanos.get(name)).put("interleaved_rounds", rounds)));
        return points;
    }

    /** A curve point: p50/p99 of the latencies and the samples per second over {@code nanos}. */
    private static ObjectNode point(int clients, List<Double> latencies, int samplesPerRequest, long nanos) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("clients", clients);
        p.put("requests", latencies.size());
        p.put("p50_ms", Stats.round(Stats.percentile(latencies, 50), 2));
        p.put("p99_ms", Stats.round(Stats.percentile(latencies, 99), 2));
        p.put("samples_per_s", Stats.round(latencies.size() * (double) samplesPerRequest * 1e9 / nanos, 2));
        return p;
    }
}
