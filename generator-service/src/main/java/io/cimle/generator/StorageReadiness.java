package io.cimle.generator;

import io.cimle.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while object storage answers: checkpoints and claim-checked images live there. */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {
    @Inject
    ObjectStore store;

    @Override
    public HealthCheckResponse call() {
        try {
            store.exists("health/probe");
            return HealthCheckResponse.named("object-storage").up().withData("uri", store.uri("health/probe")).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("object-storage").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
