package io.cimle.service.storage;

import io.cimle.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while object storage answers: without it the trainer can store no pair and write no checkpoint,
 * and the generator can load no checkpoint and hand out no claim-checked image.
 */
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
