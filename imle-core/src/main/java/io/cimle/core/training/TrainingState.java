package io.cimle.core.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Everything beyond the weights that a resumed run needs to continue exactly: where the loop
 * stands, this epoch's selection (example indices and the seed of each kept code; empty when the
 * epoch's selection is still to be made), the random streams and Adam's step count. Adam's moments
 * travel beside it as their own checkpoint entry.
 *
 * @param epoch            0-based epoch in progress (or next to start)
 * @param stepInEpoch      gradient steps done in that epoch
 * @param selectedExamples indices into the training examples of this epoch's S; empty before selection
 * @param selectedSeeds    seed of the kept code of each selected example (same order)
 * @param rngState         {@link TrainerRandom#state()}
 * @param samplerDrawn     examples drawn so far from the rebalancing sampler
 * @param adamSteps        Adam's bias-correction step count
 * @param learningRate     rate in force
 * @param firstEpochLoss   epoch 0's mean loss (NaN, or 0 in checkpoints written before it existed, until an
 *                         epoch has finished); the health check's reference until issue 36, kept for the record
 * @param selectedDonors   regional selection: per selected example, for each layout class the seed its
 *                         part of the kept code comes from (example-major, classes inner); empty for flat
 *                         selection and in checkpoints written before it existed
 * @param lossTrend        the health check's history of epoch losses ({@link LossTrend}); {@link LossTrend#NONE}
 *                         in checkpoints written before it existed (the trend then starts at the resume)
 */
public record TrainingState(int epoch, int stepInEpoch, int[] selectedExamples, long[] selectedSeeds, long rngState,
                            long samplerDrawn, long adamSteps, double learningRate, double firstEpochLoss,
                            long[] selectedDonors, LossTrend lossTrend) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public TrainingState {
        Objects.requireNonNull(selectedExamples, "selectedExamples");
        Objects.requireNonNull(selectedSeeds, "selectedSeeds");
        if (selectedExamples.length != selectedSeeds.length) {
            throw new IllegalArgumentException(selectedExamples.length + " selected examples but "
                    + selectedSeeds.length + " code seeds");
        }
        if (epoch < 0 || stepInEpoch < 0) {
            throw new IllegalArgumentException("epoch and step must be >= 0, got " + epoch + ", " + stepInEpoch);
        }
        selectedExamples = selectedExamples.clone();
        selectedSeeds = selectedSeeds.clone();
        selectedDonors = selectedDonors == null ? new long[0] : selectedDonors.clone();
        lossTrend = lossTrend == null ? LossTrend.NONE : lossTrend;
        if (selectedDonors.length > 0 && (selectedSeeds.length == 0 || selectedDonors.length % selectedSeeds.length != 0)) {
            throw new IllegalArgumentException(selectedDonors.length + " donor seeds do not divide among "
                    + selectedSeeds.length + " selected examples");
        }
    }

    public boolean hasSelection() {
        return selectedExamples.length > 0;
    }

    @Override
    public int[] selectedExamples() {
        return selectedExamples.clone();
    }

    @Override
    public long[] selectedSeeds() {
        return selectedSeeds.clone();
    }

    @Override
    public long[] selectedDonors() {
        return selectedDonors.clone();
    }

    public byte[] toJsonBytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrainingState fromJsonBytes(byte[] json) {
        try {
            return JSON.readValue(json, TrainingState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("damaged training state in checkpoint: " + e.getMessage(), e);
        }
    }
}
