package io.cimle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cimle.core.training.TrainingProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class StepReporterTest {
    @Test
    void aStepReachesTheStateAndTheMetrics() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.registry = registry;
        metrics.register();
        TrainingState state = new TrainingState();
        StepReporter reporter = new StepReporter(metrics, state, 2);
        TrainingProgress p = new TrainingProgress(1, 3, 1, 10, 1e-4);
        reporter.onStep(p, 11, 0.75, 40, 5);
        assertEquals(0.75, state.lastLoss());
        assertEquals(p, state.progress());
        assertEquals(0.75, registry.get("cimle.trainer.loss").gauge().value());
        assertEquals(11.0, registry.get("cimle.trainer.step").gauge().value());
        assertEquals(1, registry.get("cimle.trainer.selection").timer().count(), "selection is timed at an epoch's first step");
        reporter.onStep(new TrainingProgress(1, 3, 2, 10, 1e-4), 12, 0.5, 40, 5);
        assertEquals(1, registry.get("cimle.trainer.selection").timer().count());
        assertEquals(2, registry.get("cimle.trainer.update").timer().count());
    }
}
