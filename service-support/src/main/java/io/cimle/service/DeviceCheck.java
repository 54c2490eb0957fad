package io.cimle.service;

import io.cimle.core.model.ComputeDevice;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Resolves {@code cimle.model.device} when a service starts: a GPU pod without a visible CUDA
 * device (or with the CPU libtorch) stops at start-up saying so, instead of training or serving
 * on its CPU, or staying up and never ready.
 */
@ApplicationScoped
public class DeviceCheck {
    private static final Logger LOG = Logger.getLogger(DeviceCheck.class);

    @ConfigProperty(name = "cimle.model.device", defaultValue = "cpu")
    ComputeDevice device;

    void onStart(@Observes StartupEvent event) {
        LOG.infof("model device: %s (%s)", device.optionName(), device.resolve());
    }
}
