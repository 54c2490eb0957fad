package io.cimle.generator;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
    private static final long RETRY_BACKOFF_MS = 1000;

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
    private HeldRequests held;
    private RecordIntake intake;
    private OffsetCommits commits;
    private ConsumerProbe probe;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile String lastError;
    private volatile boolean paused;

    @PostConstruct
    void wire() {
        held = new HeldRequests(batcher);
        intake = new RecordIntake(processor, replies, offsets, held);
        commits = new OffsetCommits(offsets, settings.generator().requests().commitIntervalMs());
        probe = new ConsumerProbe(metrics, settings.generator().requests().topic());
    }

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
            c.subscribe(List.of(topic), new PartitionRebalance(c, offsets, held, commits, () -> paused,
                    PartitionRebalance.REVOKE_DRAIN_MS));
            LOG.infof("consuming %s as group %s (model: %s)", topic, c.groupMetadata().groupId(), models.availability());
            while (running) {
                try {
                    step(c);
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
            commits.commitNow(c, offsets.committable());
        } catch (RuntimeException e) {
            lastError = e.toString();
            LOG.errorf(e, "the %s consumer stopped", topic);
        } finally {
            // Planned but never queued: not answered and not committed, so whoever owns the partition next gets them.
            held.drop(tp -> true);
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

    /** One poll: admit what waits, poll (paused while full or while the model loads), take the records in. */
    private void step(KafkaConsumer<String, byte[]> c) throws InterruptedException {
        held.admit();
        ConsumerRecords<String, byte[]> records = poll(c);
        long polled = System.nanoTime(); // every record was sent before this: a model published before it is seen
        Map<TopicPartition, Long> putBack = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (putBack.containsKey(tp) || !models.answerable(polled)) {
                putBack.putIfAbsent(tp, record.offset()); // this and the partition's later records wait for the model
            } else {
                intake.accept(record);
            }
        }
        putBack.forEach(c::seek);
        long now = System.currentTimeMillis();
        commits.commitIfDue(c, now);
        probe.probeIfDue(c, now);
    }

    /**
     * Polls: with the partitions paused (the group's protocol kept going) while requests are held at
     * max-in-flight or the model is loading, after waiting a little for either to change; else a long poll.
     */
    private ConsumerRecords<String, byte[]> poll(KafkaConsumer<String, byte[]> c) throws InterruptedException {
        boolean waitingForModel = !models.answerable();
        if (held.isEmpty() && !waitingForModel) {
            if (paused) {
                c.resume(c.paused());
                paused = false;
            }
            return c.poll(POLL_TIMEOUT);
        }
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
        return c.poll(Duration.ZERO);
    }

    /** For health: the loop runs, its last step did not fail, and the consumer holds a broker connection. */
    boolean ready() {
        Thread t = thread;
        return t != null && t.isAlive() && lastError == null && probe.connected();
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
        s.put("connected", probe.connected());
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
