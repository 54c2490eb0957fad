package io.cimle.generator;

import io.cimle.wire.Topics;
import io.cimle.wire.v1.CheckpointEvent;
import io.cimle.wire.v1.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the generator's tests need besides a client's request/reply (that is the CLI's SampleClient, the
 * one client): announcing a checkpoint and reading the dead-letter topic.
 */
final class KafkaTestTopics {
    private KafkaTestTopics() {
    }

    static void announce(String bootstrap, CheckpointEvent event) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, event.getModelName(), event.toByteArray())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
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
}
