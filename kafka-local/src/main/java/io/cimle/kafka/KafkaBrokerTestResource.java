package io.cimle.kafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real in-process broker for {@code @QuarkusTest} classes and points the application at it.
 * The running broker is reachable from tests through {@link #broker()} (for restarts in fault tests).
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {
    private static volatile LocalKafkaBroker current;
    private LocalKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = LocalKafkaBroker.startTemporary();
        broker.createSystemTopics(1);
        current = broker;
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        current = null;
    }

    public static LocalKafkaBroker broker() {
        LocalKafkaBroker b = current;
        if (b == null) {
            throw new IllegalStateException("no broker running: add @QuarkusTestResource(KafkaBrokerTestResource.class)");
        }
        return b;
    }
}
