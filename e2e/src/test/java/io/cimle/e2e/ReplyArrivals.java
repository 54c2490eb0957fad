package io.cimle.e2e;

import io.cimle.wire.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every reply record on samples.generated from now on, as (request id, the producer's CreateTime,
 * arrival here): the CreateTime tells a survivor's replies from those a killed generator had sent
 * before it died. A consumer of its own (no group, from the end), beside the test's SampleClient.
 */
final class ReplyArrivals implements AutoCloseable {
    record Arrival(String requestId, long createdAtMs, long arrivedNanos) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread poller;
    private final List<Arrival> arrivals = new ArrayList<>();
    private volatile boolean running = true;

    ReplyArrivals(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(Topics.SAMPLES_GENERATED, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        poller = new Thread(this::poll, "reply-arrivals");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (running) {
            try {
                var batch = consumer.poll(Duration.ofMillis(50));
                long now = System.nanoTime();
                synchronized (this) {
                    batch.forEach(r -> arrivals.add(new Arrival(r.key(), r.timestamp(), now)));
                }
            } catch (WakeupException e) {
                return;
            }
        }
    }

    /** When the first reply created after {@code createdAfterMs} for a request {@code which} accepts arrived. */
    synchronized OptionalLong firstArrival(long createdAfterMs, Predicate<String> which) {
        return arrivals.stream().filter(a -> a.createdAtMs() > createdAfterMs && which.test(a.requestId()))
                .mapToLong(Arrival::arrivedNanos).min();
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
        consumer.close(Duration.ofSeconds(2));
    }
}
