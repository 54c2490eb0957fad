package io.cimle.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one real broker per test class. Inject it as a {@link LocalKafkaBroker}
 * parameter of a test or lifecycle method.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        LocalKafkaBroker broker = LocalKafkaBroker.startTemporary();
        broker.createSystemTopics(1);
        context.getStore(NS).put("broker", broker);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LocalKafkaBroker broker = context.getStore(NS).remove("broker", LocalKafkaBroker.class);
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == LocalKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        ExtensionContext c = e;
        while (c != null) {
            LocalKafkaBroker broker = c.getStore(NS).get("broker", LocalKafkaBroker.class);
            if (broker != null) {
                return broker;
            }
            c = c.getParent().orElse(null);
        }
        throw new IllegalStateException("no broker: is the class annotated with @ExtendWith(KafkaBrokerExtension.class)?");
    }
}
