package io.cimle.generator;

import ai.djl.Device;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.FileSystemObjectStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A filesystem object store holding one checkpoint of a tiny, freshly initialised model (toy-scenes
 * classes), as the trainer would publish it. Tests publish more versions through {@link #publish}.
 */
public class TinyModelResource implements QuarkusTestResourceLifecycleManager {
    public static final String MODEL = "toy";
    private static Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("cimle-store-");
            publish(1);
            return Map.of("cimle.storage.root", root.toString(), "cimle.model.name", MODEL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }

    public static Path root() {
        return root;
    }

    public static LabelSet labels() {
        return ToyScenes.labelSet();
    }

    public static ModelConfig config() {
        return Presets.tiny(labels().channels());
    }

    /** Publishes a new version whose weights come from {@code initSeed}. */
    public static CheckpointInfo publish(long initSeed) throws IOException {
        return publish(initSeed, config());
    }

    /** The same for another architecture or code form (e.g. a vector code with region blocks). */
    public static CheckpointInfo publish(long initSeed, ModelConfig config) throws IOException {
        try (GeneratorNetwork net = GeneratorNetwork.create(config, Device.cpu(), initSeed)) {
            Checkpoint c = Checkpoint.of(net, initSeed * 100, (int) initSeed, Map.of("labelSet", labels().toJson()), Map.of());
            CheckpointStore store = new CheckpointStore(new FileSystemObjectStore(root), 10, true);
            return store.publish(new CheckpointStore.Publication(MODEL, c.step(), c.epoch(), Map.of("loss", 1.0),
                    config.presetName(), config.width(), config.height()), c.toBytes());
        }
    }
}
