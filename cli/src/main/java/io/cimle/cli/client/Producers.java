package io.cimle.cli.client;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one place the project's clients configure a Kafka producer: every record durable on all in-sync
 * replicas ({@code acks=all}) and no duplicates from the producer's own retries (idempotence), string
 * keys and byte values; each caller adds what its traffic needs (linger, how long to wait for a broker).
 */
public final class Producers {
    private Producers() {
    }

    /** A durable producer to {@code bootstrap} with {@code overrides} (ProducerConfig keys) on top. */
    public static KafkaProducer<String, byte[]> durable(String bootstrap, Map<String, Object> overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putAll(overrides);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Settings of a request-reply client: no linger, and long enough waits to ride out a broker restart. */
    public static Map<String, Object> interactive() {
        return Map.of(ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
    }
}
