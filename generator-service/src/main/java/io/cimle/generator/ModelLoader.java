package io.cimle.generator;

import ai.djl.Device;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LabelSets;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.CodeBank;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.InferenceChunking;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.service.model.ModelSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Turns a stored checkpoint into a {@link LoadedModel}: its network on the configured device, its forward
 * chunk (configured, or measured once per architecture), its label set. Which versions are served, and
 * when one replaces another, is {@link ModelRegistry}'s.
 */
@ApplicationScoped
public class ModelLoader {
    /** A calibration forward slower than this stops the search at that batch (see InferenceChunking). */
    private static final Duration CALIBRATION_BUDGET = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(ModelLoader.class);

    @Inject
    GeneratorSettings settings;
    @Inject
    ModelSettings model;
    @Inject
    CheckpointStore checkpoints;

    /** The measured inference chunk of each architecture served so far. */
    private final Map<ModelConfig, Integer> chunks = new ConcurrentHashMap<>();

    /** Reads a stored version and makes it a model to serve, on the configured device. */
    LoadedModel load(CheckpointInfo info) throws IOException {
        long t0 = System.nanoTime();
        byte[] bytes = checkpoints.read(info);
        Checkpoint checkpoint = Checkpoint.readFrom(new ByteArrayInputStream(bytes));
        GeneratorNetwork network = GeneratorNetwork.fromCheckpoint(checkpoint, device());
        if (model.inferenceChunk().isPresent()) {
            network.setInferenceChunk(model.inferenceChunk().get());
        } else {
            // Serving runs batches up to max-batch: measure which one is cheapest per sample. The answer
            // depends on the architecture and the machine, not the weights, so each architecture is
            // measured once (a version switch, or a pinned version loaded on a request's path, pays nothing).
            network.setInferenceChunk(chunks.computeIfAbsent(checkpoint.config(), config -> {
                InferenceChunking.Calibration c = InferenceChunking.calibrate(network, settings.generator().maxBatch(),
                        CALIBRATION_BUDGET);
                LOG.infof("preset %s: forward chunk %d samples (ms per sample by batch: %s)", config.presetName(),
                        c.chunk(), c.msPerSample());
                return c.chunk();
            }));
        }
        LabelSet labels = labelsOf(checkpoint);
        CodeBank codeBank;
        try {
            codeBank = CodeBank.of(checkpoint);
        } catch (IllegalArgumentException e) {
            network.close();
            throw new IOException("checkpoint " + info.version() + ": " + e.getMessage(), e);
        }
        LOG.debugf("loaded %s in %d ms%s", info.version(), (System.nanoTime() - t0) / 1_000_000,
                codeBank == null ? "" : " with " + codeBank);
        return new LoadedModel(info.version(), network, labels, info.step(), info.term(), codeBank);
    }

    private LabelSet labelsOf(Checkpoint checkpoint) {
        return checkpoint.labelSetJson().map(LabelSet::fromJson).orElseGet(() -> LabelSets.byName(model.labels()));
    }

    private Device device() {
        return model.device().resolve();
    }
}
