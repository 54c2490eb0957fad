package io.cimle.generator;

import io.cimle.wire.SampleReplyDeserializer;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.CheckpointEvent;
import io.cimle.wire.v1.DeadLetter;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.SampleReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What a user's client does: produce requests, consume replies, de-duplicate by (request id, index). */
final class KafkaSampleClient implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, SampleReply> consumer;
    private final Map<String, Map<Integer, GeneratedSample>> samples = new ConcurrentHashMap<>();
    private final Map<String, SampleReply> errors = new ConcurrentHashMap<>();

    KafkaSampleClient(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-client-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new SampleReplyDeserializer());
        consumer.subscribe(List.of(Topics.SAMPLES_GENERATED));
    }

    void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.LAYOUTS_REQUESTS, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void announce(String bootstrap, CheckpointEvent event) {
        try {
            producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, event.getModelName(), event.toByteArray())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the request is complete (all samples) or answered with an error. */
    Answer await(String requestId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Answer a = answer(requestId);
            if (a != null) {
                return a;
            }
            for (var r : consumer.poll(Duration.ofMillis(100))) {
                SampleReply reply = r.value();
                if (reply.hasError()) {
                    errors.put(reply.getError().getRequestId(), reply);
                } else {
                    GeneratedSample s = reply.getSample();
                    samples.computeIfAbsent(s.getRequestId(), k -> new HashMap<>()).put(s.getIndex(), s);
                }
            }
        }
        throw new AssertionError("no complete answer to " + requestId + " within " + timeout + "; have "
                + samples.getOrDefault(requestId, Map.of()).size() + " samples");
    }

    private Answer answer(String id) {
        if (errors.containsKey(id)) {
            return new Answer(List.of(), errors.get(id));
        }
        Map<Integer, GeneratedSample> got = samples.get(id);
        if (got != null && !got.isEmpty() && got.size() == got.values().iterator().next().getTotal()) {
            List<GeneratedSample> list = new ArrayList<>(got.values());
            list.sort(Comparator.comparingInt(GeneratedSample::getIndex));
            return new Answer(list, null);
        }
        return null;
    }

    record Answer(List<GeneratedSample> samples, SampleReply error) {
        boolean ok() {
            return error == null;
        }
    }

    static List<DeadLetter> deadLetters(String bootstrap, int atLeast, Duration timeout) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<DeadLetter> out = new ArrayList<>();
        try (var dlq = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            dlq.subscribe(List.of(Topics.LAYOUTS_REQUESTS_DLQ));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < atLeast && System.nanoTime() < deadline) {
                for (var r : dlq.poll(Duration.ofMillis(200))) {
                    try {
                        out.add(DeadLetter.parseFrom(r.value()));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
