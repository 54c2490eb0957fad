package io.cimle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.model.NoiseMode;
import io.cimle.core.training.CodeSelection;
import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.Setting;
import io.cimle.core.training.SettingValues;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImleSettingsTest {

    private static ImleConfig read(Map<String, String> keys) {
        return ImleSettings.read(keys::get, keys.keySet());
    }

    @Test
    void unsetMeansTheDefaultWhereUsersStartAndReferenceIsTheNamedAlternative() {
        assertEquals(ImleConfig.DEFAULT, read(Map.of()));
        assertEquals(ImleConfig.REFERENCE, read(Map.of("cimle.trainer.imle.base", "reference")));
        assertThrows(IllegalArgumentException.class, () -> read(Map.of("cimle.trainer.imle.base", "paper")));
    }

    /** The test that fails when a setting is declared in the core but the service cannot set it. */
    @Test
    void everyDeclaredSettingIsAKey() {
        for (Setting<?> s : ImleConfig.SETTINGS) {
            Object other = SettingValues.otherThanDefault(s);
            ImleConfig c = read(Map.of("cimle.trainer.imle." + s.name(), s.format(other)));
            assertEquals(other, c.get(s), s.name());
        }
    }

    @Test
    void earlierKeysStillWorkAndATypoFailsAtStartUp() {
        assertEquals(12, read(Map.of("cimle.trainer.imle.samples", "12")).candidates());
        assertEquals(NoiseMode.VECTOR, read(Map.of("cimle.trainer.noise", "vector")).get(ImleConfig.NOISE));
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("cimle.trainer.imle.candidatez", "3")));
        assertTrue(typo.getMessage().contains("candidatez"), typo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> read(Map.of("cimle.trainer.imle.selection", "fancy")));
        assertEquals(CodeSelection.FLAT, read(Map.of("cimle.trainer.imle.selection", "FLAT")).selection());
    }

    /** The service's own keys under the prefix (the health check's) are not taken for unknown settings. */
    @Test
    void theServiceKeysAreNotTrainingSettings() {
        assertEquals(ImleConfig.DEFAULT, read(Map.of("cimle.trainer.imle.health-check", "false",
                "cimle.trainer.imle.min-code-spread", "0.02")));
    }

    @Test
    void aSmallDataSetCapsSAndItsSubBatch() {
        Map<String, String> keys = new HashMap<>(Map.of("cimle.trainer.imle.examples", "400", "cimle.trainer.imle.sub-batch",
                "16"));
        ImleConfig c = ImleSettings.read(keys::get, keys.keySet());
        ImleConfig capped = c.withExamples(Math.max(1, Math.min(c.examples(), 10)));
        assertEquals(10, capped.examples());
        assertEquals(10, capped.subBatch());
        assertEquals(Integer.MAX_VALUE, read(Map.of("cimle.trainer.imle.epochs", "0")).epochs(), "0 = until stopped");
        assertThrows(IllegalArgumentException.class, () -> read(Map.of("cimle.trainer.imle.epochs", "-1")));
    }
}
