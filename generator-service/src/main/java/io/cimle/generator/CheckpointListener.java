package io.cimle.generator;

import io.cimle.wire.v1.CheckpointEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Follows the compacted checkpoints topic: each announcement loads the new version in the background. */
@ApplicationScoped
public class CheckpointListener {
    @Inject
    ModelRegistry models;

    @Incoming("checkpoints")
    public void onCheckpoint(CheckpointEvent event) {
        if (event != null) {
            models.announce(event.getModelName(), event.getVersion(), event.getTerm(), event.getStep());
        }
    }
}
