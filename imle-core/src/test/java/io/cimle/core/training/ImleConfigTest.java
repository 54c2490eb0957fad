package io.cimle.core.training;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImleConfigTest {

    @Test
    void defaultsAreTheReferenceCodes() {
        ImleConfig d = ImleConfig.DEFAULT;
        assertEquals(400, d.examplesPerEpoch());
        assertEquals(10, d.samplesPerExample());
        assertEquals(10_000, d.stepsPerEpoch());
        assertEquals(1, d.subBatch());
        assertEquals(1e-4, d.learningRate());
        assertEquals(16, d.epochs());
        assertEquals(5, d.decayEpoch());
        assertEquals(TrainingMode.IMLE, d.mode());
    }

    @Test
    void jsonRoundTripAndMissingFieldsTakeDefaults() {
        ImleConfig c = ImleConfig.DEFAULT.withMode(TrainingMode.REGRESSION).withEpochs(3).withRebalancing(false, true)
                .withSeed(-5).withRejectBelow(1.5).withRarityFloor(0.1);
        assertEquals(c, ImleConfig.fromJson(c.toJson()));
        assertEquals(0.1, ImleConfig.fromJson(c.toJson()).rarityFloor());
        assertEquals(0.0, ImleConfig.fromJson("{}").rarityFloor(), "a checkpoint from before the floor keeps the paper's weights");
        assertThrows(IllegalArgumentException.class, () -> ImleConfig.DEFAULT.withRarityFloor(1.0));
        ImleConfig partial = ImleConfig.fromJson("{\"epochs\": 2, \"mode\": \"REGRESSION\"}");
        assertEquals(ImleConfig.DEFAULT.withEpochs(2).withMode(TrainingMode.REGRESSION), partial);
    }

    @Test
    void decaySchedule() {
        ImleConfig c = ImleConfig.DEFAULT;
        assertEquals(1e-4, c.learningRateAt(4));
        assertEquals(1e-5, c.learningRateAt(5), 1e-12);
        assertTrue(c.decaysAt(5));
        assertEquals(1e-4, c.withDecay(5, false).learningRateAt(10));
        assertTrue(c.resetsEncoderAt(5));
        assertFalse(c.resetsEncoderAt(6));
        ImleConfig plain = c.withDecayResetsEncoder(false);
        assertFalse(plain.resetsEncoderAt(5));
        assertEquals(1e-5, plain.learningRateAt(5), 1e-12);
        assertFalse(plain.withDecay(5, false).resetsEncoderAt(5));
    }

    @Test
    void invalidValuesNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImleConfig.DEFAULT.withSamplesPerExample(0));
        assertTrue(e.getMessage().contains("samplesPerExample"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImleConfig.DEFAULT.withLearningRate(Double.NaN));
        assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImleConfig.fromJson("{\"subBatch\": 500}"));
        assertTrue(e.getMessage().contains("subBatch 500"), e.getMessage());
    }
}
