package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelHealthTest {

    @Test
    void aCollapsedImleModelIsUnhealthyAfterTheFirstEpoch() {
        assertTrue(new ModelHealth(0, 0.001, 100, 100, 0.01).healthy(), "epoch 0 is exempt: a fresh net barely responds");
        ModelHealth collapsed = new ModelHealth(3, 0.004, 50, 100, 0.01);
        assertFalse(collapsed.respondsToCode());
        assertFalse(collapsed.healthy());
        assertTrue(collapsed.describe().contains("no longer responds to its code"), collapsed.describe());
        assertTrue(new ModelHealth(3, 0.05, 50, 100, 0.01).healthy());
    }

    @Test
    void regressionIsNotExpectedToSpread() {
        assertTrue(new ModelHealth(5, 0.0, 50, 100, 0).respondsToCode());
    }

    @Test
    void aLossThatNeverFallsIsUnhealthyFromEpochTwo() {
        assertTrue(new ModelHealth(1, 0.05, 101, 100, 0.01).healthy(), "one noisy epoch after the first is allowed");
        ModelHealth frozen = new ModelHealth(2, 0.05, 100, 100, 0.01);
        assertFalse(frozen.lossFalling());
        assertTrue(frozen.describe().contains("has not fallen"), frozen.describe());
        assertTrue(new ModelHealth(2, 0.05, 99, 100, 0.01).healthy());
    }
}
