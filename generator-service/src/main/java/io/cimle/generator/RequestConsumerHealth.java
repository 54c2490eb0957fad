package io.cimle.generator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The layouts.requests consumer in /q/health: ready while it polls with a broker connection; live
 * unless its thread died or a request has waited longer than unanswered-max-age (its partition's
 * commits are stuck behind it, and a restart redelivers it).
 */
@ApplicationScoped
public class RequestConsumerHealth {
    @Inject
    RequestConsumer consumer;

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> response(consumer.ready());
    }

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> response(consumer.live());
    }

    private HealthCheckResponse response(boolean up) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("requests-consumer").status(up);
        consumer.state().forEach((k, v) -> b.withData(k, String.valueOf(v)));
        return b.build();
    }
}
