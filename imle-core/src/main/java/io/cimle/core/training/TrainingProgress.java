package io.cimle.core.training;

/**
 * Where the loop stands, for listeners.
 *
 * @param epoch        current 0-based epoch
 * @param epochs       epochs in all
 * @param stepInEpoch  steps done in the current epoch
 * @param stepsPerEpoch K
 * @param learningRate rate in force
 */
public record TrainingProgress(int epoch, int epochs, int stepInEpoch, int stepsPerEpoch, double learningRate) {
    public long globalStep() {
        return (long) epoch * stepsPerEpoch + stepInEpoch;
    }

    public long totalSteps() {
        return (long) epochs * stepsPerEpoch;
    }
}
