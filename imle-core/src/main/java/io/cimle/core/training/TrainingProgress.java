package io.cimle.core.training;

/**
 * Where the loop stands, for listeners.
 *
 * @param epoch        current 0-based epoch
 * @param epochs       epochs in all
 * @param stepInEpoch  steps done in the current epoch
 * @param steps K (steps per epoch)
 * @param learningRate rate in force
 */
public record TrainingProgress(int epoch, int epochs, int stepInEpoch, int steps, double learningRate) {
    public long globalStep() {
        return (long) epoch * steps + stepInEpoch;
    }

    public long totalSteps() {
        return (long) epochs * steps;
    }
}
