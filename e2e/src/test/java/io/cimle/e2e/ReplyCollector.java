package io.cimle.e2e;

import io.cimle.wire.Topics;
import io.cimle.wire.v1.ErrorReply;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.SampleReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads samples.generated from its end at construction, on its own thread, without a consumer group
 * (so a broker restart costs it nothing but a reconnect). Counts every record: what a client keeps
 * (distinct (request id, index)) and what it drops (the repeats at-least-once delivery may bring).
 */
final class ReplyCollector implements AutoCloseable {
    /** Per request id: index -> times received. */
    private final Map<String, Map<Integer, Integer>> samples = new ConcurrentHashMap<>();
    private final Map<String, Integer> totals = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> versions = new ConcurrentHashMap<>();
    private final Map<String, ErrorReply> errorsById = new ConcurrentHashMap<>();
    /** "partition/offset" of the offending request record -> its error. */
    private final Map<String, ErrorReply> errorsBySource = new ConcurrentHashMap<>();
    private final Map<String, Long> completedAt = new ConcurrentHashMap<>();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    ReplyCollector(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(Topics.SAMPLES_GENERATED, Duration.ofSeconds(30))
                .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // fixes the start before any request is sent
        thread = new Thread(this::loop, "reply-collector");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                for (var r : consumer.poll(Duration.ofMillis(100))) {
                    records.incrementAndGet();
                    SampleReply reply;
                    try {
                        reply = SampleReply.parseFrom(r.value());
                    } catch (Exception e) {
                        unreadable.incrementAndGet();
                        continue;
                    }
                    if (reply.hasSample()) {
                        GeneratedSample s = reply.getSample();
                        samples.computeIfAbsent(s.getRequestId(), k -> new ConcurrentHashMap<>()).merge(s.getIndex(), 1, Integer::sum);
                        totals.put(s.getRequestId(), s.getTotal());
                        versions.computeIfAbsent(s.getModelVersion(), k -> ConcurrentHashMap.newKeySet()).add(s.getRequestId());
                        if (complete(s.getRequestId())) {
                            completedAt.putIfAbsent(s.getRequestId(), System.currentTimeMillis());
                        }
                    } else if (reply.hasError()) {
                        ErrorReply e = reply.getError();
                        errorsById.put(e.getRequestId(), e);
                        errorsBySource.put(e.getSourcePartition() + "/" + e.getSourceOffset(), e);
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // the broker may be down for a while: keep polling
                Rig.sleep(200);
            }
        }
    }

    /** All samples of the request have arrived (at least once each). */
    boolean complete(String id) {
        Map<Integer, Integer> got = samples.get(id);
        Integer total = totals.get(id);
        return got != null && total != null && got.size() >= total;
    }

    ErrorReply error(String id) {
        return errorsById.get(id);
    }

    ErrorReply errorAt(int partition, long offset) {
        return errorsBySource.get(partition + "/" + offset);
    }

    boolean answered(String id) {
        return complete(id) || errorsById.containsKey(id);
    }

    /** Waits until every id is answered (samples complete or an error), or the timeout passes; returns the missing. */
    List<String> await(List<String> ids, Duration timeout) {
        return awaitAll(ids, this::answered, timeout);
    }

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

    /** Repeated (request id, index) records among the given requests: what the client drops. */
    long duplicates(List<String> ids) {
        long d = 0;
        for (String id : ids) {
            for (int n : samples.getOrDefault(id, Map.of()).values()) {
                d += n - 1;
            }
        }
        return d;
    }

    long distinctSamples(List<String> ids) {
        return ids.stream().mapToLong(id -> samples.getOrDefault(id, Map.of()).size()).sum();
    }

    long errors(List<String> ids) {
        return ids.stream().filter(errorsById::containsKey).count();
    }

    /** Model version -> number of the given requests with a sample from it. */
    Map<String, Long> versionsOf(List<String> ids) {
        Map<String, Long> out = new java.util.TreeMap<>();
        Set<String> mine = Set.copyOf(ids);
        versions.forEach((v, reqs) -> {
            long n = reqs.stream().filter(mine::contains).count();
            if (n > 0) {
                out.put(v, n);
            }
        });
        return out;
    }

    /** Wall-clock ms when the request's last missing sample arrived; null if not complete. */
    Long completedAt(String id) {
        return completedAt.get(id);
    }

    long records() {
        return records.get();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
