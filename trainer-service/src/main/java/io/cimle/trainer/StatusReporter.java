package io.cimle.trainer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Assembles /api/trainer/status from the loop's state, the leadership and the data set as it is now. */
@ApplicationScoped
public class StatusReporter {
    @Inject
    TrainingState state;
    @Inject
    Leadership leadership;
    @Inject
    TrainingSetup setup;
    @Inject
    TrainerStarter starter;

    public TrainingStatus status() {
        long size = state.datasetSize();
        try {
            size = setup.store().size();
        } catch (Exception ignored) {
            // keep the last known size
        }
        // what a run would use, before one started
        return TrainingStatus.of(state, leadership, size, starter.imleConfig(Integer.MAX_VALUE));
    }
}
