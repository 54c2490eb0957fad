package io.cimle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrainingControlsTest {
    @Test
    void startPauseResumeAndClose() {
        TrainingControls controls = new TrainingControls();
        assertFalse(controls.running(), "not started without auto-start");
        controls.start();
        assertTrue(controls.running());
        controls.pause();
        assertFalse(controls.unpaused());
        controls.resume();
        assertTrue(controls.running());
        controls.close();
        assertTrue(controls.unpaused());
        assertFalse(controls.running(), "closing stops a run");
    }

    @Test
    void aPauseWithCheckpointWhileIdleReturnsAtOnceAndRequestsNothing() throws Exception {
        TrainingControls controls = new TrainingControls();
        TrainingState state = new TrainingState();
        state.version("v3");
        controls.start();
        assertEquals("v3", controls.pauseWithCheckpoint(state, Duration.ofSeconds(10)));
        assertFalse(controls.checkpointRequested().get());
        assertFalse(controls.unpaused());
    }

    @Test
    void aPauseWithCheckpointWhileTrainingWaitsForTheNewVersion() throws Exception {
        TrainingControls controls = new TrainingControls();
        TrainingState state = new TrainingState();
        state.version("v3");
        state.phase(TrainingState.Phase.TRAINING);
        Thread trainer = new Thread(() -> {
            while (!controls.checkpointRequested().get()) {
                Thread.onSpinWait();
            }
            state.version("v4"); // the step's checkpoint
        });
        trainer.start();
        assertEquals("v4", controls.pauseWithCheckpoint(state, Duration.ofSeconds(10)));
        trainer.join();
    }

    @Test
    void aWakeEndsAnIdle() throws Exception {
        TrainingControls controls = new TrainingControls();
        Thread idler = new Thread(() -> controls.idle(60_000));
        idler.start();
        long t0 = System.nanoTime();
        while (idler.isAlive() && System.nanoTime() - t0 < 10_000_000_000L) {
            controls.wake();
            idler.join(20);
        }
        assertFalse(idler.isAlive(), "woken well before the minute");
    }
}
