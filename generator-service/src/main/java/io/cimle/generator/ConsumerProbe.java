package io.cimle.generator;

import io.cimle.wire.ConsumerLag;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Reads the consumer's own metrics once a second: the lag behind the topic's end (to the metrics) and whether it
 * holds a broker connection (for readiness).
 */
final class ConsumerProbe {
    static final long INTERVAL_MS = 1000;

    private final GeneratorMetrics metrics;
    private final String topic;
    private volatile boolean connected;
    private long lastProbeMs;

    ConsumerProbe(GeneratorMetrics metrics, String topic) {
        this.metrics = metrics;
        this.topic = topic;
    }

    void probeIfDue(Consumer<?, ?> c, long nowMs) {
        if (nowMs - lastProbeMs < INTERVAL_MS) {
            return;
        }
        lastProbeMs = nowMs;
        var m = c.metrics();
        metrics.consumerLag(ConsumerLag.of(m, topic));
        connected = m.entrySet().stream().anyMatch(e -> e.getKey().name().equals("connection-count")
                && e.getKey().group().equals("consumer-metrics")
                && e.getValue().metricValue() instanceof Number n && n.doubleValue() > 0);
    }

    /** Whether the last probe found a broker connection. */
    boolean connected() {
        return connected;
    }
}
