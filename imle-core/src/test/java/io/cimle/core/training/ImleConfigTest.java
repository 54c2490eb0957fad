package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.model.NoiseMode;
import io.cimle.core.model.Presets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImleConfigTest {

    @Test
    void theReferenceIsTheReferenceCodesAndTheDefaultItsBudgetWithTheBestMethod() {
        ImleConfig r = ImleConfig.REFERENCE;
        assertEquals(400, r.examples());
        assertEquals(10, r.candidates());
        assertEquals(10_000, r.steps());
        assertEquals(1, r.subBatch());
        assertEquals(1e-4, r.learningRate());
        assertEquals(16, r.epochs());
        assertEquals(5, r.decayEpoch());
        assertEquals(TrainingMode.IMLE, r.mode());
        assertEquals(CodeSelection.FLAT, r.selection());
        assertEquals(LossWeights.RARITY, r.lossWeights());
        ImleConfig d = ImleConfig.DEFAULT;
        for (Setting<?> s : ImleConfig.SETTINGS) {
            boolean method = Set.of("selection", "instance-slots", "region-pooling", "loss-weights",
                    "pixel-norm", "code-bank-epochs", "rarity-per-instance", "bank-candidates", "rarity-given-scene")
                    .contains(s.name());
            assertEquals(!method, r.get(s).equals(d.get(s)), s.name() + ": the default changes only the method");
        }
    }

    @Test
    void jsonRoundTripAndMissingFieldsTakeTheReference() {
        ImleConfig c = ImleConfig.DEFAULT.withMode(TrainingMode.REGRESSION).withEpochs(3).withRebalancing(false, true)
                .withSeed(-5).withRejectBelow(1.5).withRarityFloor(0.1);
        assertEquals(c, ImleConfig.fromJson(c.toJson()));
        assertEquals(0.1, ImleConfig.fromJson(c.toJson()).rarityFloor());
        assertEquals(ImleConfig.REFERENCE, ImleConfig.fromJson("{}"), "a checkpoint from before a setting: the reference");
        assertThrows(IllegalArgumentException.class, () -> ImleConfig.DEFAULT.withRarityFloor(1.0));
        ImleConfig partial = ImleConfig.fromJson("{\"epochs\": 2, \"mode\": \"REGRESSION\"}");
        assertEquals(ImleConfig.REFERENCE.withEpochs(2).withMode(TrainingMode.REGRESSION), partial);
    }

    /** What the checkpoints written before the table hold (the record's field names) still reads. */
    @Test
    void olderCheckpointJsonReads() {
        String old = "{\"examplesPerEpoch\":96,\"samplesPerExample\":12,\"stepsPerEpoch\":150,\"subBatch\":8,"
                + "\"learningRate\":4.0E-4,\"epochs\":20,\"decayEpoch\":14,\"decayEnabled\":true,\"selectionBatch\":48,"
                + "\"seed\":3,\"lossRebalancing\":true,\"datasetRebalancing\":true,\"mode\":\"IMLE\",\"beta1\":0.9,"
                + "\"beta2\":0.999,\"adamEpsilon\":1.0E-8,\"decayResetsEncoder\":false,\"selection\":\"REGIONAL\","
                + "\"rejectBelow\":0.0,\"rarityFloor\":0.0}";
        ImleConfig c = ImleConfig.fromJson(old);
        assertEquals(96, c.examples());
        assertEquals(12, c.candidates());
        assertEquals(150, c.steps());
        assertTrue(c.decayEnabled());
        assertEquals(CodeSelection.REGIONAL, c.selection());
        assertEquals(LossWeights.RARITY, c.lossWeights(), "trained before part weights existed");
        assertEquals(1, c.get(ImleConfig.INSTANCE_SLOTS));
    }

    @Test
    void decaySchedule() {
        ImleConfig c = ImleConfig.REFERENCE;
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
        assertEquals(Integer.MAX_VALUE, c.withEpochs(0).epochs(), "0 = until stopped");
    }

    @Test
    void invalidValuesNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImleConfig.DEFAULT.withCandidates(0));
        assertTrue(e.getMessage().contains("candidates must be an integer >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImleConfig.DEFAULT.withLearningRate(Double.NaN));
        assertTrue(e.getMessage().contains("learning-rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImleConfig.fromJson("{\"subBatch\": 500}"));
        assertTrue(e.getMessage().contains("sub-batch 500"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImleConfig.REFERENCE.withText(ImleConfig.SELECTION, "x"));
        assertTrue(e.getMessage().contains("one of flat, regional"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImleConfig.fromJson("{\"candidatez\": 3}"));
    }

    @Test
    void everySettingHasOneNameAndItsTextRoundTrips() {
        Set<String> names = new HashSet<>();
        for (Setting<?> s : ImleConfig.SETTINGS) {
            assertTrue(names.add(s.name()), "one name per setting: " + s.name());
            s.aliases().forEach(a -> assertTrue(names.add(a), "an alias names one setting: " + a));
            assertEquals(s.reference(), s.parse(s.format(s.reference())), s.name());
            assertEquals(s, ImleConfig.byName(s.jsonKey()));
            assertFalse(s.help().isBlank(), s.name());
        }
        assertNull(ImleConfig.byName("nonsense"));
        assertEquals(ImleConfig.DEFAULT.asProperties("p.").size(), ImleConfig.SETTINGS.size());
        assertEquals(ImleConfig.DEFAULT, ImleConfig.from(ImleConfig.REFERENCE, ImleConfig.DEFAULT.asProperties("")::get));
    }

    @Test
    void theCodeFormFollowsTheSettings() {
        var preset = Presets.tiny(7);
        var reference = ImleConfig.REFERENCE.codeForm(preset);
        assertEquals(NoiseMode.ENCODER, reference.noiseMode());
        assertFalse(reference.regionPooling());
        assertFalse(reference.pixelNorm(), "the reference keeps CRN's layer norm over the whole map");
        assertEquals(1, reference.instanceSlots());
        var vector = ImleConfig.DEFAULT.with(ImleConfig.NOISE, NoiseMode.VECTOR).codeForm(preset);
        assertEquals(CodeSelection.DEFAULT_REGION_CODE_DIM, vector.regionCodeDim(), "regional meets a vector code");
        assertEquals(4, vector.instanceSlots());
        assertTrue(vector.regionPooling());
        assertTrue(vector.pixelNorm());
        assertEquals(0, ImleConfig.REFERENCE.with(ImleConfig.NOISE, NoiseMode.VECTOR).codeForm(preset).regionCodeDim());
        assertNotEquals(reference, vector);
    }
}
