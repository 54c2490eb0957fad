package io.cimle.service.kafka;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Sends on an outgoing channel's own Kafka producer (its configuration: acks, idempotence, linger,
 * serializers, topic) straight from the caller's thread. A SmallRye emitter hands each message to the
 * sink's stream, then to the producer's sending thread, then to Kafka's I/O thread, and back through
 * Mutiny for the ack: thread hand-offs on the generator's hot path for every record. Kafka's producer is
 * thread-safe and retries within {@code delivery.timeout.ms} by itself, so the hops buy nothing here. The channel must still be wired (an emitter injected for it), or SmallRye never
 * creates its producer.
 */
public final class ChannelProducer<K, V> {
    private final KafkaClientService kafka;
    private final String channel;
    private final String topic;
    private volatile Producer<K, V> producer;

    public ChannelProducer(KafkaClientService kafka, String channel) {
        this.kafka = kafka;
        this.channel = channel;
        this.topic = ConfigProvider.getConfig().getOptionalValue("mp.messaging.outgoing." + channel + ".topic", String.class)
                .orElse(channel);
    }

    /** Sends one record; the future completes when the broker acknowledged it, or fails with the reason. */
    public CompletableFuture<Void> send(K key, V value) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            producer().send(new ProducerRecord<>(topic, key, value), (metadata, e) -> {
                if (e == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            // Serialization, a record over max.request.size, a closed producer: refused before sending.
            acked.completeExceptionally(e);
        }
        return acked;
    }

    public String topic() {
        return topic;
    }

    private Producer<K, V> producer() {
        Producer<K, V> p = producer;
        if (p == null) {
            var managed = kafka.<K, V>getProducer(channel);
            p = managed == null ? null : managed.unwrap();
            if (p == null) {
                throw new IllegalStateException("outgoing channel '" + channel + "' has no Kafka producer (not wired, or stopping)");
            }
            producer = p;
        }
        return p;
    }
}
