package io.cimle.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.service.model.ModelSettings;
import io.cimle.service.storage.StorageSettings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** cimle.model.* and cimle.storage.*: README.md's table states their defaults as the code does. */
class SharedSettingsDefaultsTest {

    @Test
    void readmeStatesTheCodesDefaults() throws Exception {
        ConfigDefaults.checkReadme(Map.of(), ModelSettings.class, StorageSettings.class);
    }

    @Test
    void keysAreTheMappingsKebabCaseNames() {
        Map<String, Optional<String>> keys = ConfigDefaults.declared(StorageSettings.class);
        assertEquals(Optional.of("16777216"), keys.get("cimle.storage.s3.multipart-threshold"));
        assertEquals(Optional.empty(), keys.get("cimle.storage.s3.access-key-id"));
        assertEquals(Optional.of("3"), ConfigDefaults.declared(ModelSettings.class).get("cimle.model.cache-size"));
    }

    @Test
    void readmeValuesReadAsTheCodeWritesThem() {
        assertTrue(ConfigDefaults.same("4194304", "4 MiB"));
        assertTrue(ConfigDefaults.same("16777216", "16 Mpx"));
        assertTrue(ConfigDefaults.same("0.01", "0.010"));
        assertFalse(ConfigDefaults.same("64", "32"));
        assertFalse(ConfigDefaults.same("reject", "void"));
    }
}
