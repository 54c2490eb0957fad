package io.cimle.trainer;

import io.cimle.core.training.ImleConfig;

/** The service's IMLE settings over {@link ImleConfig#DEFAULT}: what is set wins, the rest is the core's default. */
final class ImleSettings {
    private ImleSettings() {
    }

    /**
     * The config for a data set of {@code datasetSize} pairs: |S| is capped by it (a small data set is
     * selected whole each epoch), and epochs = 0 means until stopped.
     */
    static ImleConfig config(TrainerSettings.Imle s, int datasetSize) {
        ImleConfig d = ImleConfig.DEFAULT;
        int epochs = s.epochs().orElse(d.epochs());
        if (epochs < 0) {
            throw new IllegalArgumentException("cimle.trainer.imle.epochs must be >= 0 (0 = until stopped), got " + epochs);
        }
        return d.withSubBatch(s.subBatch().orElse(d.subBatch()))
                .withExamplesPerEpoch(Math.max(1, Math.min(s.examples().orElse(d.examplesPerEpoch()), datasetSize)))
                .withSamplesPerExample(s.samples().orElse(d.samplesPerExample()))
                .withStepsPerEpoch(s.steps().orElse(d.stepsPerEpoch()))
                .withLearningRate(s.learningRate().orElse(d.learningRate()))
                .withEpochs(epochs == 0 ? Integer.MAX_VALUE : epochs)
                .withSeed(s.seed().orElse(d.seed()))
                .withRebalancing(s.lossRebalancing().orElse(d.lossRebalancing()),
                        s.datasetRebalancing().orElse(d.datasetRebalancing()))
                .withDecay(s.decayEpoch().orElse(d.decayEpoch()), s.decay().orElse(d.decayEnabled()))
                .withDecayResetsEncoder(s.decayResetsEncoder().orElse(d.decayResetsEncoder()))
                .withSelectionBatch(s.selectionBatch().orElse(d.selectionBatch()))
                .withSelection(s.selection().orElse(d.selection()))
                .withRejectBelow(s.rejectBelow().orElse(d.rejectBelow()))
                .withRarityFloor(s.rarityFloor().orElse(d.rarityFloor()));
    }
}
