package io.cimle.trainer;

import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.TrainingProgress;

/**
 * A snapshot for /api/trainer/status; codeSpread is the last epoch's (the health probe's), null before the first.
 * Before a run started, epochs and stepsPerEpoch are what a run would use.
 */
public record TrainingStatus(String phase, boolean leader, String identity, String leaderIdentity, int epoch,
        int epochs, int stepInEpoch, int stepsPerEpoch, long globalStep, double loss, long datasetSize, String version,
        String failure, long term, Double codeSpread) {

    /** The status of {@code state} under {@code leadership}, with the data set's current size. */
    static TrainingStatus of(TrainingState state, Leadership leadership, long datasetSize, ImleConfig idle) {
        TrainingProgress p = state.progress();
        return new TrainingStatus(state.phase().name(), leadership.isLeader(), leadership.identity(),
                leadership.leader(), p == null ? 0 : p.epoch(), p == null ? idle.epochs() : p.epochs(),
                p == null ? 0 : p.stepInEpoch(), p == null ? idle.steps() : p.steps(),
                p == null ? 0 : p.globalStep(), state.lastLoss(), datasetSize, state.version(), state.failure(),
                state.term(), state.codeSpread());
    }
}
