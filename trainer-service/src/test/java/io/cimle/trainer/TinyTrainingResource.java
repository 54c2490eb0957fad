package io.cimle.trainer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A fresh filesystem store and a training configuration small enough for a test (tiny preset, few steps). */
public class TinyTrainingResource implements QuarkusTestResourceLifecycleManager {
    static Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("cimle-trainer-store-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> c = new HashMap<>(settings());
        c.put("cimle.storage.root", root.toString());
        return c;
    }

    static Map<String, String> settings() {
        return Map.ofEntries(Map.entry("cimle.trainer.preset", "tiny"),
                Map.entry("cimle.trainer.min-dataset-size", "8"),
                Map.entry("cimle.trainer.checkpoint-every-steps", "10"),
                Map.entry("cimle.trainer.checkpoint-keep-last", "3"),
                Map.entry("cimle.trainer.imle.examples", "8"),
                Map.entry("cimle.trainer.imle.candidates", "3"),
                Map.entry("cimle.trainer.imle.steps", "10"),
                Map.entry("cimle.trainer.imle.epochs", "3"),
                Map.entry("cimle.trainer.imle.learning-rate", "1e-3"));
    }

    @Override
    public void stop() {
    }
}
