package io.cimle.service;

import io.cimle.service.model.ModelSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Resolves {@code cimle.model.device} when a service starts: a GPU pod without a visible CUDA
 * device (or with the CPU libtorch) stops at start-up saying so, instead of training or serving
 * on its CPU, or staying up and never ready.
 */
@ApplicationScoped
public class DeviceCheck {
    private static final Logger LOG = Logger.getLogger(DeviceCheck.class);

    @Inject
    ModelSettings model;

    void onStart(@Observes StartupEvent event) {
        LOG.infof("model device: %s (%s)", model.device().optionName(), model.device().resolve());
    }
}
