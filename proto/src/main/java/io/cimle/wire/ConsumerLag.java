package io.cimle.wire;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** Reads a consumer's lag from its own client metrics, without a round trip to the broker. */
public final class ConsumerLag {
    private ConsumerLag() {
    }

    /** Sum of "records-lag" over the assigned partitions of {@code topic}; 0 when nothing is assigned yet. */
    public static long of(Map<MetricName, ? extends Metric> metrics, String topic) {
        double lag = 0;
        for (var e : metrics.entrySet()) {
            MetricName n = e.getKey();
            if ("records-lag".equals(n.name()) && "consumer-fetch-manager-metrics".equals(n.group())
                    && topic.equals(n.tags().get("topic"))) {
                Object v = e.getValue().metricValue();
                if (v instanceof Number num && Double.isFinite(num.doubleValue())) {
                    lag += num.doubleValue();
                }
            }
        }
        return Math.round(lag);
    }
}
