package io.cimle.cli.client;

import io.cimle.wire.SampleReplyDeserializer;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.ErrorReply;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.SampleReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A small client of the generator over Kafka, as a user would write one: produce a LayoutRequest on
 * layouts.requests, read samples.generated, keep the replies of one's own requests and drop
 * duplicates by (request id, sample index) — delivery is at least once.
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
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, SampleReply> consumer;
    private final Map<String, Map<Integer, GeneratedSample>> samples = new HashMap<>();
    private final Map<String, ErrorReply> errors = new HashMap<>();

    public SampleClient(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "cimle-client-" + UUID.randomUUID());
        // Only replies to requests sent from now on matter.
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new SampleReplyDeserializer());
        consumer.subscribe(List.of(Topics.SAMPLES_GENERATED));
        // Join the group and take positions before the first request goes out, so no reply is missed.
        long deadline = System.currentTimeMillis() + 30_000;
        while (consumer.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.assignment().forEach(consumer::position);
    }

    /** The complete answer to one request: its samples in index order, or its error. */
    public record Answer(String requestId, List<GeneratedSample> samples, ErrorReply error) {
        public boolean ok() {
            return error == null;
        }
    }

    /** Sends without waiting for the answer. */
    public void send(LayoutRequest request) {
        sendRecord(request.getRequestId(), request.toByteArray());
    }

    /**
     * Sends a record's bytes as they are, keyed by {@code key}: for requests encoded elsewhere (protoc, another
     * language) and for tests of what the generator does with bytes that are no request at all. The answer,
     * an error when the bytes do not parse, is awaited under {@code key}.
     */
    public void sendRecord(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.LAYOUTS_REQUESTS, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not produce request " + key + ": " + e.getMessage(), e);
        }
    }

    public Answer request(LayoutRequest request, Duration timeout) throws TimeoutException {
        send(request);
        return await(request.getRequestId(), timeout);
    }

    /** Waits until all samples of the request (or its error) have arrived. */
    public Answer await(String requestId, Duration timeout) throws TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Answer a = complete(requestId);
            if (a != null) {
                return a;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no complete answer to " + requestId + " within " + timeout);
            }
            for (var record : consumer.poll(Duration.ofMillis(100))) {
                SampleReply reply = record.value();
                if (reply.hasError()) {
                    errors.put(reply.getError().getRequestId(), reply.getError());
                } else if (reply.hasSample()) {
                    GeneratedSample s = reply.getSample();
                    samples.computeIfAbsent(s.getRequestId(), k -> new HashMap<>()).putIfAbsent(s.getIndex(), s);
                }
            }
        }
    }

    private Answer complete(String id) {
        if (errors.containsKey(id)) {
            return new Answer(id, List.of(), errors.remove(id));
        }
        Map<Integer, GeneratedSample> got = samples.get(id);
        if (got == null || got.isEmpty() || got.size() < got.values().iterator().next().getTotal()) {
            return null;
        }
        List<GeneratedSample> list = new ArrayList<>(samples.remove(id).values());
        list.sort(Comparator.comparingInt(GeneratedSample::getIndex));
        return new Answer(id, list, null);
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
