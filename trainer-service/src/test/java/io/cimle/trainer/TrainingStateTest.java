package io.cimle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.training.TrainingProgress;
import org.junit.jupiter.api.Test;

class TrainingStateTest {
    @Test
    void anUploadClearsAStorageFailureOnly() {
        TrainingState state = new TrainingState();
        state.storageFailure("bucket gone");
        assertEquals("storage: bucket gone", state.failure());
        state.storageRecovered();
        assertEquals("", state.failure());
        state.failure("stale leader");
        state.storageRecovered();
        assertEquals("stale leader", state.failure(), "a fence is no storage failure");
    }

    @Test
    void startsInStandbyAndFailsForGood() {
        TrainingState state = new TrainingState();
        assertEquals(TrainingState.Phase.STANDBY, state.phase());
        assertTrue(Double.isNaN(state.lastLoss()));
        assertNull(state.codeSpread());
        state.failed("training diverged");
        assertEquals(TrainingState.Phase.FAILED, state.phase());
        assertEquals("training diverged", state.failure());
    }

    @Test
    void theStatusBeforeARunShowsWhatARunWouldUse() {
        TrainingState state = new TrainingState();
        var idle = io.cimle.core.training.ImleConfig.REFERENCE.withEpochs(3).withSteps(7);
        TrainingStatus before = TrainingStatus.of(state, new Leadership(), 12, idle);
        assertEquals("STANDBY", before.phase());
        assertEquals(3, before.epochs());
        assertEquals(7, before.stepsPerEpoch());
        assertEquals(12, before.datasetSize());
        assertEquals("", before.identity(), "no election joined yet");
        state.stepped(new TrainingProgress(1, 4, 2, 10, 1e-4), 0.5);
        state.codeSpread(0.25);
        TrainingStatus during = TrainingStatus.of(state, new Leadership(), 12, idle);
        assertEquals(4, during.epochs());
        assertEquals(12, during.globalStep());
        assertEquals(0.5, during.loss());
        assertEquals(0.25, during.codeSpread());
    }
}
