package io.cimle.generator;

import io.cimle.wire.ConsumerLag;
import io.cimle.wire.WireFormat;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.LayoutRequest;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Consumes layouts.requests on one thread of its own: each poll's records are parsed and planned right
 * there and handed to the {@link MicroBatcher}, with no hop in between: every hand-off between threads
 * (a polling thread, an event loop, a worker, as a messaging connector does it) would delay each request
 * before its planning begins.
 *
 * <p>The guarantees: every record is answered (samples or an error reply with a dead letter); a
 * partition's offsets are committed only up to its oldest record whose answers the broker has not
 * acknowledged ({@link OffsetTracker}), so a crash redelivers whatever was not answered durably;
 * work in flight is bounded by {@code max-in-flight}: at the bound the partitions are paused (the
 * group membership lives on) until an answer is acknowledged.
 *
 * <p>No request is refused for a model that exists: the consumer joins the group only once the
 * registry can answer (a model is loaded, or the store holds none), so a restarted or added pod takes
 * no partition while its model loads; should the answer change later (a first checkpoint announced
 * while none was served), the partitions are paused and records already polled are put back (a seek
 * to the first of them) until the model is in.
 */
@ApplicationScoped
public class RequestConsumer {
    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);
    /** The idle long poll: a record ends it at once (fetch.min.bytes 1). */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
    /** While paused, how long to wait for capacity before polling (with no wait) for group events. */
    private static final long CAPACITY_WAIT_MS = 100;
    private static final long LAG_PROBE_INTERVAL_MS = 1000;
    private static final long RETRY_BACKOFF_MS = 1000;
    /**
     * At a revocation, how long to wait for the revoked partitions' requests already in the batcher to be
     * answered, so that their offsets are committed before the partitions move (else their new owner answers
     * them again). Far below max.poll.interval.ms (5 min), far above a pass of max-batch samples.
     */
    private static final long REVOKE_DRAIN_MS = 10_000;

    @Inject
    GeneratorSettings settings;
    @Inject
    RequestProcessor processor;
    @Inject
    Replies replies;
    @Inject
    ModelRegistry models;
    @Inject
    MicroBatcher batcher;
    @Inject
    GeneratorMetrics metrics;
    @Inject
    Config config;

    private final OffsetTracker offsets = new OffsetTracker();
    /** Planned requests the batcher had no room for yet, in arrival order (at most a poll's worth). */
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    /** A planned request the batcher had no room for yet, and the record it came in. */
    private record Held(MicroBatcher.Work work, ConsumerRecord<String, byte[]> record) {
    }
    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile String lastError;
    private volatile boolean connected;
    private volatile boolean paused;
    private long lastCommitMs;
    private long lastLagProbeMs;

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "cimle-requests");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The Kafka consumer's properties: the service's kafka.* ones, then cimle.generator.requests.kafka.*. */
    Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.")) {
                config.getOptionalValue(name, String.class).ifPresent(v -> p.put(name.substring("kafka.".length()), v));
            }
        }
        p.putAll(settings.generator().requests().kafka()); // group.id, max.poll.records...: application.properties
        // Offsets are this class's business: committed after the answers are durable, never by a timer.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }

    private void run() {
        String topic = settings.generator().requests().topic();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            if (!awaitModel(c, topic)) {
                return;
            }
            c.subscribe(List.of(topic), new Rebalance(c));
            LOG.infof("consuming %s as group %s (model: %s)", topic, c.groupMetadata().groupId(), models.availability());
            while (running) {
                try {
                    step(c, topic);
                    lastError = null;
                } catch (WakeupException e) {
                    // stop() asked: the loop ends
                } catch (InterruptException e) {
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (RuntimeException e) {
                    lastError = e.toString();
                    LOG.errorf(e, "consuming %s failed; retrying in %d ms", topic, RETRY_BACKOFF_MS);
                    try {
                        Thread.sleep(RETRY_BACKOFF_MS);
                    } catch (InterruptedException ie) {
                        break;
                    }
                }
            }
            commitNow(c, offsets.committable());
        } catch (RuntimeException e) {
            lastError = e.toString();
            LOG.errorf(e, "the %s consumer stopped", topic);
        } finally {
            // Planned but never queued: not answered and not committed, so whoever owns the partition next gets them.
            dropHeld(tp -> true);
            consumer = null;
        }
    }

    /** Before joining the group: waits until requests can be answered; false when stopped first. */
    private boolean awaitModel(KafkaConsumer<String, byte[]> c, String topic) {
        if (models.answerable()) {
            return true;
        }
        LOG.infof("waiting for the model before joining group %s on %s", c.groupMetadata().groupId(), topic);
        try {
            while (running) {
                if (models.awaitAnswerable(CAPACITY_WAIT_MS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void step(KafkaConsumer<String, byte[]> c, String topic) throws InterruptedException {
        admitHeld();
        ConsumerRecords<String, byte[]> records;
        boolean waitingForModel = !models.answerable();
        if (!held.isEmpty() || waitingForModel) {
            if (!paused) {
                c.pause(c.assignment());
                paused = true;
                LOG.debugf(waitingForModel ? "the model is loading: partitions paused"
                        : "max-in-flight reached with " + held.size() + " more planned: partitions paused");
            }
            if (waitingForModel) {
                models.awaitAnswerable(CAPACITY_WAIT_MS);
            } else {
                batcher.awaitCapacity(CAPACITY_WAIT_MS);
            }
            // Paused partitions fetch nothing; the poll keeps the group's protocol going.
            records = c.poll(Duration.ZERO);
        } else {
            if (paused) {
                c.resume(c.paused());
                paused = false;
            }
            records = c.poll(POLL_TIMEOUT);
        }
        long polled = System.nanoTime(); // every record was sent before this: a model published before it is seen
        Map<TopicPartition, Long> putBack = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (putBack.containsKey(tp) || !models.answerable(polled)) {
                putBack.putIfAbsent(tp, record.offset()); // this and the partition's later records wait for the model
            } else {
                accept(record);
            }
        }
        putBack.forEach(c::seek);
        long now = System.currentTimeMillis();
        if (now - lastCommitMs >= settings.generator().requests().commitIntervalMs()) {
            lastCommitMs = now;
            Map<TopicPartition, OffsetAndMetadata> due = offsets.committable();
            if (!due.isEmpty()) {
                c.commitAsync(due, (done, e) -> {
                    if (e == null) {
                        offsets.committed(done);
                    } else {
                        // The next interval commits again from the same bookkeeping.
                        LOG.debugf("committing %s failed: %s", done, e.toString());
                    }
                });
            }
        }
        if (now - lastLagProbeMs >= LAG_PROBE_INTERVAL_MS) {
            lastLagProbeMs = now;
            var m = c.metrics();
            metrics.consumerLag(ConsumerLag.of(m, topic));
            connected = m.entrySet().stream().anyMatch(e -> e.getKey().name().equals("connection-count")
                    && e.getKey().group().equals("consumer-metrics")
                    && e.getValue().metricValue() instanceof Number n && n.doubleValue() > 0);
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        long offset = record.offset();
        offsets.received(tp, offset, System.currentTimeMillis());
        long receivedAtMs = System.currentTimeMillis();
        MicroBatcher.Work work = null;
        CompletableFuture<Void> answered;
        WireFormat.Parsed<LayoutRequest> parsed = WireFormat.parse(LayoutRequest.parser(), record.value());
        if (!parsed.ok()) {
            answered = replies.to(record, record.key()).deliver(Outcome.failed(ErrorCode.UNPARSEABLE_RECORD,
                    "the record is not a LayoutRequest: " + parsed.error()));
        } else {
            LayoutRequest request = parsed.message().get();
            Answer answer = replies.to(record, request.getRequestId());
            Admission admission = processor.admit(request, receivedAtMs);
            if (admission instanceof Admission.Ready ready) {
                work = new MicroBatcher.Work(ready.request(), ready.lease(), answer);
                answered = work.answered();
            } else {
                answered = answer.deliver(((Admission.Refused) admission).failure());
            }
        }
        answered.whenComplete((v, e) -> {
            if (e == null) {
                offsets.finished(tp, offset);
            } else {
                // Never finished: the partition's commits stop here, liveness turns DOWN after
                // unanswered-max-age, and a restart redelivers the record.
                LOG.errorf(e, "the answer to %s-%d@%d was not acknowledged; left uncommitted", tp.topic(),
                        tp.partition(), offset);
            }
        });
        if (work != null && (!held.isEmpty() || !batcher.offer(work))) {
            held.add(new Held(work, record));
        }
    }

    private void admitHeld() {
        while (!held.isEmpty() && batcher.offer(held.peekFirst().work())) {
            held.pollFirst();
        }
    }

    private void commitNow(KafkaConsumer<String, byte[]> c, Map<TopicPartition, OffsetAndMetadata> due) {
        if (due.isEmpty()) {
            return;
        }
        try {
            try {
                c.commitSync(due, Duration.ofSeconds(5));
            } catch (WakeupException e) {
                // stop()'s wakeup, left pending when the loop was not polling: it ends the loop, not this commit
                c.commitSync(due, Duration.ofSeconds(5));
            }
            offsets.committed(due);
        } catch (RuntimeException e) {
            LOG.warnf("committing %s failed: %s (those records will be delivered again)", due, e.toString());
        }
    }

    /** Revoked partitions: commit what is answered, forget the rest (their new owner reads them again). */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> c;

        Rebalance(KafkaConsumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            // Planned but not started: set aside, unanswered (their next owner answers them); the commit stops
            // at the first of them. The ones in the batcher are answered first, so they are not answered twice.
            Map<TopicPartition, Long> setAside = dropHeld(revoked);
            long drained = drain(revoked, setAside);
            Map<TopicPartition, OffsetAndMetadata> due = offsets.committable();
            due.keySet().retainAll(new HashSet<>(revoked));
            LOG.infof("partitions revoked: %s; in-flight answers waited for %d ms (%d left); committing %s", revoked,
                    drained, offsets.outstanding(revoked, setAside), due);
            commitNow(c, due);
            offsets.forget(revoked);
        }

        /** Waits (bounded) until the requests of {@code revoked} in the batcher are answered; the time it took. */
        private long drain(Collection<TopicPartition> revoked, Map<TopicPartition, Long> setAside) {
            long t0 = System.currentTimeMillis();
            while (offsets.outstanding(revoked, setAside) > 0 && System.currentTimeMillis() - t0 < REVOKE_DRAIN_MS) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return System.currentTimeMillis() - t0;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            LOG.infof("partitions lost (the group moved on without this member): %s; answered up to %s", lost,
                    offsets.committable());
            drop(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (!assigned.isEmpty()) {
                Map<TopicPartition, Long> positions = new HashMap<>();
                assigned.forEach(tp -> positions.put(tp, c.position(tp)));
                LOG.infof("partitions assigned: reading from %s", positions);
            }
            if (paused) { // at max-in-flight, or waiting for the model: the new partitions wait too
                c.pause(assigned);
            }
        }

        private void drop(Collection<TopicPartition> gone) {
            offsets.forget(gone);
            dropHeld(gone);
        }

        private Map<TopicPartition, Long> dropHeld(Collection<TopicPartition> gone) {
            return RequestConsumer.this.dropHeld(new HashSet<>(gone)::contains);
        }
    }

    /**
     * Removes the planned, not yet queued requests of the partitions {@code gone} names, closing their leases
     * (they stay unanswered: whoever owns the partition next answers them); per partition, the first one's offset.
     */
    private Map<TopicPartition, Long> dropHeld(Predicate<TopicPartition> gone) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            TopicPartition tp = new TopicPartition(h.record().topic(), h.record().partition());
            if (gone.test(tp)) {
                first.merge(tp, h.record().offset(), Math::min);
                h.work().lease().close();
                it.remove();
            }
        }
        return first;
    }

    /** For health: the loop runs, its last step did not fail, and the consumer holds a broker connection. */
    boolean ready() {
        Thread t = thread;
        return t != null && t.isAlive() && lastError == null && connected;
    }

    /** For health: the loop runs (or has not started yet) and no request waits longer than unanswered-max-age. */
    boolean live() {
        Thread t = thread;
        if (t != null && !t.isAlive() && running) {
            return false;
        }
        long oldest = offsets.oldestOutstandingMs();
        return oldest < 0 || System.currentTimeMillis() - oldest < settings.generator().requests().unansweredMaxAgeMs();
    }

    Map<String, Object> state() {
        Map<String, Object> s = new HashMap<>();
        s.put("topic", settings.generator().requests().topic());
        s.put("connected", connected);
        s.put("unanswered", offsets.outstanding());
        s.put("paused", paused);
        s.put("model", models.availability().name());
        long oldest = offsets.oldestOutstandingMs();
        s.put("oldest_unanswered_ms", oldest < 0 ? 0 : System.currentTimeMillis() - oldest);
        if (lastError != null) {
            s.put("error", lastError);
        }
        return s;
    }
}
