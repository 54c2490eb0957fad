package io.cimle.trainer;

import io.cimle.core.training.ModelHealth;
import io.cimle.service.config.ConfigDefaults;
import io.cimle.service.model.ModelSettings;
import io.cimle.service.storage.StorageSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A trainer setting's default is its {@code @WithDefault} in {@link TrainerSettings} alone (or, for an
 * Optional key, the constant the service falls back to): README.md's table may only repeat it,
 * application.properties may not restate it.
 */
class TrainerSettingsDefaultsTest {

    @Test
    void readmeStatesTheCodesDefaults() throws Exception {
        ConfigDefaults.checkReadme(Map.of("cimle.trainer.imle.min-code-spread", String.valueOf(ModelHealth.DEFAULT_MIN_CODE_SPREAD)),
                TrainerSettings.class, ModelSettings.class, StorageSettings.class);
    }

    @Test
    void applicationPropertiesRestatesNoDefault() throws Exception {
        ConfigDefaults.checkNoRestatedDefaults(Path.of("src/main/resources/application.properties"), TrainerSettings.class,
                ModelSettings.class, StorageSettings.class);
    }
}
