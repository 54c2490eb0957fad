package io.cimle.service;

import io.cimle.core.model.DevicePreflight;
import io.cimle.service.model.ModelSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Resolves {@code cimle.model.device} when a service starts, before any other start-up observer (the
 * generator's first checkpoint load, the trainer's loop) can load libtorch: a GPU pod without a visible
 * CUDA device, or with the CPU libtorch, logs one error saying so and fails start-up (the process exits
 * non-zero), instead of training or serving on its CPU, or staying up and never ready.
 */
@ApplicationScoped
public class DeviceCheck {
    private static final Logger LOG = Logger.getLogger(DeviceCheck.class);

    @Inject
    ModelSettings model;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        DevicePreflight preflight = DevicePreflight.detect();
        try {
            LOG.infof("model device: %s (%s; %s)", model.device().optionName(), model.device().resolve(preflight),
                    preflight.found());
        } catch (IllegalStateException e) {
            LOG.error(e.getMessage());
            throw e;
        }
    }
}
