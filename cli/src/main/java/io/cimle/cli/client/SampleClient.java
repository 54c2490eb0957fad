package io.cimle.cli.client;

import io.cimle.wire.Topics;
import io.cimle.wire.v1.ErrorReply;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.SampleReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The client of the generator over Kafka, as a user would write one: produce a LayoutRequest on
 * layouts.requests, read samples.generated, drop duplicates by (request id, sample index) — delivery
 * is at least once — and hand back each request's complete answer. The CLI, the demo, the bench and
 * the tests all use this one.
 *
 * <p>Replies are read on a background thread from the topic's end at construction, without a
 * consumer group (a broker restart costs a reconnect, nothing else), and stamped on arrival, so
 * {@link Answer#latency()} is the time from send to the last sample and many threads may wait on
 * their own requests at once. Images are kept only for requests sent through this client, until
 * their answer is taken; for every request id seen, a small {@link Receipt} counts what arrived.
 *
 * <pre>{@code
 * try (SampleClient client = new SampleClient("localhost:9092")) {
 *     SampleClient.Answer a = client.request(LayoutRequest.newBuilder().setRequestId("r1")
 *             .setLayout(layout).setNumSamples(9).build(), Duration.ofMinutes(1));
 *     a.samples().forEach(s -> save(s.getImage(), s.getCode()));
 * }
 * }</pre>
 */
public final class SampleClient implements AutoCloseable {
    /** Receipts and errors-by-record kept at most: a long-lived client on a busy topic stays bounded. */
    private static final int RECEIPTS_KEPT = 100_000;

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread poller;
    private final String requestTopic;
    private volatile boolean running = true;

    // Guarded by this; waiters are woken on every batch of replies.
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<String, Receipt> receipts = bounded();
    private final Map<String, ErrorReply> errorsByRecord = bounded();
    private long records;
    private long unreadable;

    /** Where a sent record landed: its answer's error names the same partition and offset. */
    public record Sent(String key, int partition, long offset) {
    }

    /** The complete answer to one request: its samples in index order, or its error; latency from send to the end. */
    public record Answer(String requestId, List<GeneratedSample> samples, ErrorReply error, Duration latency) {
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * What arrived for one request id: distinct sample indices, repeats dropped (at-least-once
     * delivery), the model versions that answered, the error if any, and when it completed.
     */
    public static final class Receipt {
        private final Map<Integer, Integer> timesByIndex = new HashMap<>();
        private final List<Integer> arrivals = new ArrayList<>();
        private final Map<String, Integer> samplesByVersion = new TreeMap<>();
        private int total = -1;
        private ErrorReply error;
        private long completedNanos;
        private long completedAtMs;

        public synchronized int distinct() {
            return timesByIndex.size();
        }

        public synchronized long duplicates() {
            return timesByIndex.values().stream().mapToLong(n -> n - 1).sum();
        }

        public synchronized boolean complete() {
            return total >= 0 && timesByIndex.size() >= total;
        }

        public synchronized ErrorReply error() {
            return error;
        }

        public synchronized boolean answered() {
            return error != null || complete();
        }

        /** Sample indices in the order their records arrived, repeats included. */
        public synchronized List<Integer> arrivals() {
            return List.copyOf(arrivals);
        }

        public synchronized Map<String, Integer> samplesByVersion() {
            return Map.copyOf(samplesByVersion);
        }

        /** {@link System#nanoTime()} when the answer became complete (or its error came); 0 before. */
        public synchronized long completedNanos() {
            return completedNanos;
        }

        /** Wall-clock ms when the answer became complete (or its error came); 0 before. */
        public synchronized long completedAtMs() {
            return completedAtMs;
        }

        private synchronized boolean add(GeneratedSample s, long now) {
            boolean first = timesByIndex.merge(s.getIndex(), 1, Integer::sum) == 1;
            arrivals.add(s.getIndex());
            total = s.getTotal();
            samplesByVersion.merge(s.getModelVersion(), 1, Integer::sum);
            markIfDone(now);
            return first;
        }

        private synchronized void fail(ErrorReply e, long now) {
            error = e;
            markIfDone(now);
        }

        private void markIfDone(long now) {
            if (completedNanos == 0 && (error != null || complete())) {
                completedNanos = now;
                completedAtMs = System.currentTimeMillis();
            }
        }
    }

    /** A request sent through this client: its samples until the answer is taken. */
    private static final class Pending {
        final long sentNanos = System.nanoTime();
        final Map<Integer, GeneratedSample> samples = new HashMap<>();
    }

    public SampleClient(String bootstrapServers) {
        this(bootstrapServers, Topics.LAYOUTS_REQUESTS, Topics.SAMPLES_GENERATED);
    }

    /**
     * A client of other topics than the generator's own: the bench's bare echo measures the transport
     * with exactly this client's settings.
     */
    public SampleClient(String bootstrapServers, String requestTopic, String replyTopic) {
        this.requestTopic = requestTopic;
        producer = Producers.durable(bootstrapServers, Producers.interactive());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        // The broker answers a waiting fetch as soon as one reply lands (fetch.min.bytes 1), so the wait
        // only bounds an idle long poll. A short one would have an idle client fetch many times a second,
        // CPU the broker and the client take from the generator when they share a host.
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(replyTopic, Duration.ofSeconds(30))
                .forEach(pi -> parts.add(new TopicPartition(pi.topic(), pi.partition())));
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        // Fixes the start before the first request goes out, so no reply to it is missed.
        parts.forEach(consumer::position);
        poller = new Thread(this::poll, "sample-client-replies");
        poller.setDaemon(true);
        poller.start();
    }

    /** Sends and waits for the broker's acknowledgement, not for the answer. */
    public Sent send(LayoutRequest request) {
        return sendRecord(request.getRequestId(), request.toByteArray());
    }

    /**
     * Sends a record's bytes as they are, keyed by {@code key}: for requests encoded elsewhere (protoc, another
     * language) and for tests of what the generator does with bytes that are no request at all. The answer,
     * an error when the bytes do not parse, is awaited under {@code key}.
     */
    public Sent sendRecord(String key, byte[] value) {
        try {
            return sendAsync(key, value).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing request " + key, e);
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("could not produce request " + key + ": " + cause, cause);
        }
    }

    /** Sends without waiting; the future completes when the broker has the record, or fails with the reason. */
    public CompletableFuture<Sent> sendAsync(String key, byte[] value) {
        synchronized (this) {
            pending.putIfAbsent(key, new Pending());
        }
        CompletableFuture<Sent> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(requestTopic, key, value), (md, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(new Sent(key, md.partition(), md.offset()));
            }
        });
        return done;
    }

    public Answer request(LayoutRequest request, Duration timeout) throws TimeoutException {
        send(request);
        return await(request.getRequestId(), timeout);
    }

    /**
     * Waits until all samples of a request sent through this client (or its error) have arrived and
     * hands them over; the client keeps only the request's receipt after that.
     */
    public Answer await(String requestId, Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            Pending p = pending.get(requestId);
            if (p == null) {
                throw new IllegalArgumentException("request " + requestId + " was not sent through this client");
            }
            while (true) {
                Receipt r = receipts.get(requestId);
                if (r != null && r.answered()) {
                    pending.remove(requestId);
                    Duration latency = Duration.ofNanos(r.completedNanos - p.sentNanos);
                    if (r.error() != null) {
                        return new Answer(requestId, List.of(), r.error(), latency);
                    }
                    List<GeneratedSample> list = new ArrayList<>(p.samples.values());
                    list.sort(Comparator.comparingInt(GeneratedSample::getIndex));
                    return new Answer(requestId, list, null, latency);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no complete answer to " + requestId + " within " + timeout);
                }
                waitNanos(left);
            }
        }
    }

    /** Waits until every id has been answered (complete or an error) or the timeout passes; returns those not answered. */
    public List<String> awaitAnswered(Collection<String> ids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                List<String> missing = ids.stream().filter(id -> !answered(id)).toList();
                long left = deadline - System.nanoTime();
                if (missing.isEmpty() || left <= 0) {
                    return missing;
                }
                waitNanos(left);
            }
        }
    }

    /** What arrived for a request id since this client started; null when nothing did. */
    public synchronized Receipt receipt(String requestId) {
        return receipts.get(requestId);
    }

    public synchronized boolean answered(String requestId) {
        Receipt r = receipts.get(requestId);
        return r != null && r.answered();
    }

    /** The error answering the record at (partition, offset) of layouts.requests, or null. */
    public synchronized ErrorReply errorAt(int partition, long offset) {
        return errorsByRecord.get(partition + "/" + offset);
    }

    /** Reply records read since start, repeats and unreadable ones included. */
    public synchronized long records() {
        return records;
    }

    public synchronized long unreadable() {
        return unreadable;
    }

    private void poll() {
        while (running) {
            try {
                var batch = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                synchronized (this) {
                    batch.forEach(r -> take(r.value(), now));
                    if (!batch.isEmpty()) {
                        notifyAll();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // The broker may be away for a while (a restart, a network blip): keep polling.
                sleepQuietly(200);
            }
        }
    }

    // Called holding this.
    private void take(byte[] value, long now) {
        records++;
        SampleReply reply;
        try {
            reply = SampleReply.parseFrom(value);
        } catch (Exception e) {
            unreadable++;
            return;
        }
        if (reply.hasSample()) {
            GeneratedSample s = reply.getSample();
            boolean first = receipts.computeIfAbsent(s.getRequestId(), k -> new Receipt()).add(s, now);
            Pending p = pending.get(s.getRequestId());
            if (first && p != null) {
                p.samples.put(s.getIndex(), s);
            }
        } else if (reply.hasError()) {
            ErrorReply e = reply.getError();
            receipts.computeIfAbsent(e.getRequestId(), k -> new Receipt()).fail(e, now);
            errorsByRecord.put(e.getSourcePartition() + "/" + e.getSourceOffset(), e);
        }
    }

    private void waitNanos(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for replies", e);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > RECEIPTS_KEPT;
            }
        };
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(2));
    }
}
