package io.cimle.generator;

import io.cimle.service.config.ConfigDefaults;
import io.cimle.service.model.ModelSettings;
import io.cimle.service.storage.StorageSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A generator setting's default is its {@code @WithDefault} in {@link GeneratorSettings} alone: README.md's
 * table may only repeat it, application.properties may not restate it.
 */
class GeneratorSettingsDefaultsTest {

    @Test
    void readmeStatesTheCodesDefaults() throws Exception {
        ConfigDefaults.checkReadme(Map.of(), GeneratorSettings.class, ModelSettings.class, StorageSettings.class);
    }

    @Test
    void applicationPropertiesRestatesNoDefault() throws Exception {
        ConfigDefaults.checkNoRestatedDefaults(Path.of("src/main/resources/application.properties"), GeneratorSettings.class,
                ModelSettings.class, StorageSettings.class);
    }
}
