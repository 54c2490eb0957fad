package io.cimle.trainer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.training.TrainingProgress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StepCheckpointPolicyTest {
    /** epoch, epochs, stepInEpoch, stepsPerEpoch: global step = epoch * 10 + stepInEpoch. */
    private static TrainingProgress at(int epoch, int step) {
        return new TrainingProgress(epoch, 5, step, 10, 1e-4);
    }

    @Test
    void everyNStepsAndAtTheEnd() {
        StepCheckpointPolicy policy = new StepCheckpointPolicy(4, new AtomicBoolean());
        assertFalse(policy.due(at(0, 3), false));
        assertTrue(policy.due(at(0, 4), false));
        assertTrue(policy.due(at(5, 0), true), "the last step of the last epoch");
        assertFalse(policy.due(at(1, 0), true), "not at every epoch's end");
    }

    /** The bug this class replaced: a request met on a step that was due anyway stayed set for the next. */
    @Test
    void aRequestIsConsumedByTheStepThatWrites() {
        AtomicBoolean requested = new AtomicBoolean(true);
        StepCheckpointPolicy policy = new StepCheckpointPolicy(4, requested);
        assertTrue(policy.due(at(0, 4), false));
        assertFalse(requested.get());
        assertFalse(policy.due(at(0, 5), false), "no second checkpoint for one request");
        requested.set(true);
        assertTrue(policy.due(at(0, 6), false));
        assertFalse(policy.due(at(0, 7), false));
    }
}
