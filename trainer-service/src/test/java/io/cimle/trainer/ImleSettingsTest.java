package io.cimle.trainer;

import io.cimle.core.training.CodeSelection;
import io.cimle.core.training.ImleConfig;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImleSettingsTest {

    /** Only what a test sets; the rest unset, as in a fresh deployment. */
    private record Given(Optional<Integer> examples, Optional<Integer> subBatch, Optional<Integer> epochs)
            implements TrainerSettings.Imle {
        @Override public Optional<Double> minCodeSpread() { return Optional.empty(); }
        @Override public Optional<Integer> samples() { return Optional.empty(); }
        @Override public Optional<Integer> steps() { return Optional.empty(); }
        @Override public Optional<Double> learningRate() { return Optional.empty(); }
        @Override public Optional<Boolean> lossRebalancing() { return Optional.empty(); }
        @Override public Optional<Boolean> datasetRebalancing() { return Optional.empty(); }
        @Override public Optional<Long> seed() { return Optional.empty(); }
        @Override public Optional<Integer> decayEpoch() { return Optional.empty(); }
        @Override public Optional<Boolean> decay() { return Optional.empty(); }
        @Override public Optional<Boolean> decayResetsEncoder() { return Optional.empty(); }
        @Override public Optional<Integer> selectionBatch() { return Optional.empty(); }
        @Override public Optional<String> vggWeights() { return Optional.empty(); }
        @Override public Optional<CodeSelection> selection() { return Optional.empty(); }
        @Override public Optional<Double> rejectBelow() { return Optional.empty(); }
        @Override public Optional<Double> rarityFloor() { return Optional.empty(); }
    }

    @Test
    void unsetMeansTheCoresDefault() {
        ImleConfig c = ImleSettings.config(new Given(Optional.empty(), Optional.empty(), Optional.empty()), 10_000);
        assertEquals(ImleConfig.DEFAULT, c);
    }

    @Test
    void aSmallDataSetCapsSAndItsSubBatch() {
        ImleConfig c = ImleSettings.config(new Given(Optional.of(400), Optional.of(16), Optional.empty()), 10);
        assertEquals(10, c.examplesPerEpoch());
        assertEquals(10, c.subBatch());
    }

    @Test
    void zeroEpochsTrainsUntilStopped() {
        assertEquals(Integer.MAX_VALUE, ImleSettings.config(new Given(Optional.empty(), Optional.empty(),
                Optional.of(0)), 100).epochs());
        assertThrows(IllegalArgumentException.class, () -> ImleSettings.config(new Given(Optional.empty(),
                Optional.empty(), Optional.of(-1)), 100));
    }
}
