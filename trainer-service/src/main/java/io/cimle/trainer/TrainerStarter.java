package io.cimle.trainer;

import ai.djl.Device;
import io.cimle.core.data.Example;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.CodeParts;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.training.CheckpointPolicy;
import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.ImleTrainer;
import io.cimle.core.training.ModelHealth;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.DistanceConfig;
import io.cimle.core.training.distance.Distances;
import io.cimle.service.model.ModelSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Builds the trainer this replica trains with: claims the leadership term, resumes the latest checkpoint
 * (statistics refitted on the data as it is now) or starts a new model fitted to the data, and wires its health
 * check, metadata, listener and checkpoint sink.
 */
@ApplicationScoped
public class TrainerStarter {
    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);

    /** A trainer with the network it trains; closing closes both, the trainer first. */
    record Started(ImleTrainer trainer, GeneratorNetwork network) implements AutoCloseable {
        @Override
        public void close() {
            trainer.close();
            network.close();
        }
    }

    @Inject
    TrainerSettings settings;
    @Inject
    ModelSettings model;
    @Inject
    TrainingSetup setup;
    @Inject
    ImleSettings imle;
    @Inject
    CheckpointStore checkpoints;
    @Inject
    TrainerMetrics metrics;
    @Inject
    TrainingState state;
    @Inject
    TrainingControls controls;
    @Inject
    Leadership leadership;
    @Inject
    CheckpointUploads uploads;

    /** The distance the trainer selects and trains with. */
    Distance distance() {
        DistanceConfig config = settings.trainer().imle().vggWeights().map(p -> DistanceConfig.vgg19(p, "gta5"))
                .orElseGet(DistanceConfig::defaults);
        return Distances.create(config, device());
    }

    /** The IMLE settings for a data set of this size. */
    ImleConfig imleConfig(int datasetSize) {
        return imle.forDataset(datasetSize);
    }

    /** A trainer on the current data: continues the latest checkpoint (statistics refitted) or starts afresh. */
    Started start(Distance distance) throws Exception {
        List<Example> examples = setup.store().loadAll();
        state.datasetSize(examples.size());
        ImleConfig config = imleConfig(examples.size());
        // The fencing token first: a trainer that claims it later is newer, and this one's publications stop.
        long term = checkpoints.claimTerm(model.name(), leadership.identity());
        state.term(term);
        metrics.term(term);
        LOG.infof("leading %s under term %d", model.name(), term);
        Optional<CheckpointInfo> latest = checkpoints.latest(model.name());
        GeneratorNetwork network = null;
        try {
            ImleTrainer trainer;
            if (latest.isPresent()) {
                Checkpoint from = Checkpoint.readFrom(new ByteArrayInputStream(checkpoints.read(latest.get())));
                state.version(latest.get().version());
                LOG.infof("resuming from checkpoint %s (epoch %d, step %d, noise %s)", latest.get().version(),
                        from.epoch(), from.step(), from.config().noiseMode().optionName());
                network = GeneratorNetwork.create(from.config(), device());
                trainer = ImleTrainer.resume(from, network, distance, examples, config, true);
            } else {
                ModelConfig fitted = CodeParts.fitToData(setup.modelConfig(), examples);
                LOG.infof("starting a new %s model %s (%s) on %d pairs", fitted.presetName(), model.name(), fitted,
                        examples.size());
                network = GeneratorNetwork.create(fitted, device(), config.seed());
                trainer = new ImleTrainer(network, distance, examples, null, config);
            }
            model.inferenceChunk().ifPresent(network::setInferenceChunk);
            TrainerSettings.Imle service = settings.trainer().imle();
            CheckpointPolicy policy = new StepCheckpointPolicy(settings.trainer().checkpointEverySteps(),
                    controls.checkpointRequested());
            trainer.setMinCodeSpread(service.minCodeSpread().orElse(ModelHealth.DEFAULT_MIN_CODE_SPREAD))
                    .setHealthCheck(service.healthCheck())
                    .addMetadata(Map.of(Checkpoint.LABEL_SET_KEY, setup.labels().toJson()))
                    .addListener(new StepReporter(metrics, state, config.subBatch()))
                    .checkpointTo(uploads::publish, policy);
            return new Started(trainer, network);
        } catch (Exception | Error e) {
            if (network != null) {
                network.close(); // the network is this starter's until the trainer is handed over
            }
            throw e;
        }
    }

    private Device device() {
        return model.device().resolve();
    }
}
