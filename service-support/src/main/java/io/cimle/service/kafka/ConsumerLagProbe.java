package io.cimle.service.kafka;

import io.cimle.wire.ConsumerLag;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Reads an incoming channel's consumer lag (records behind the log end, summed over its partitions) on
 * the channel's polling thread, for the topic the channel is configured with.
 */
public final class ConsumerLagProbe {
    private static final Logger LOG = Logger.getLogger(ConsumerLagProbe.class);

    private final KafkaClientService kafka;
    private final String channel;
    private final String topic;

    public ConsumerLagProbe(KafkaClientService kafka, String channel) {
        this.kafka = kafka;
        this.channel = channel;
        this.topic = ConfigProvider.getConfig().getOptionalValue("mp.messaging.incoming." + channel + ".topic", String.class)
                .orElse(channel);
    }

    /** Asks for the lag; {@code sink} receives it when the polling thread has read it (a failure only logs). */
    public void probe(LongConsumer sink) {
        var consumer = kafka.<Object, Object>getConsumer(channel);
        if (consumer != null) {
            consumer.runOnPollingThread((Function<Consumer<Object, Object>, Long>) c -> ConsumerLag.of(c.metrics(), topic))
                    .subscribe().with(sink::accept, e -> LOG.debugf("lag probe of %s failed: %s", channel, e.toString()));
        }
    }

    public String topic() {
        return topic;
    }
}
