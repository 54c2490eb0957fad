package io.cimle.generator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once a model is loaded: before that every request would get NO_MODEL_LOADED. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {
    @Inject
    ModelRegistry models;

    @Override
    public HealthCheckResponse call() {
        return models.current()
                .map(m -> HealthCheckResponse.named("model").up().withData("version", m.version()).build())
                .orElseGet(() -> HealthCheckResponse.named("model").down().withData("reason", "no checkpoint loaded yet").build());
    }
}
