package io.cimle.trainer;

import io.cimle.service.model.ModelSettings;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.wire.v1.CheckpointEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;
import io.cimle.service.Backoff;
import io.cimle.service.kafka.KafkaRecords;

/**
 * Makes a checkpoint durable and tells the world: upload and verify through the {@link CheckpointStore}
 * (readers never see a half-written one), then a {@link CheckpointEvent} on the compacted checkpoints
 * topic, keyed by model name. Upload failures are retried with exponential backoff.
 */
@ApplicationScoped
public class CheckpointPublisher {
    private static final Logger LOG = Logger.getLogger(CheckpointPublisher.class);
    private static final int ATTEMPTS = 6;

    @Inject
    CheckpointStore store;
    @Inject
    TrainerSettings settings;
    @Inject
    ModelSettings model;
    @Inject
    TrainingData data;
    @Inject
    TrainerMetrics metrics;

    @Inject
    @Channel("checkpoint-events")
    MutinyEmitter<CheckpointEvent> events;

    /**
     * Publishes under leadership term {@code term}; a {@link CheckpointStore.StaleTermException} (a newer term
     * exists) is not retried: the caller is a stale leader and must stop.
     */
    public CheckpointInfo publish(Checkpoint checkpoint, Map<String, Double> trainingMetrics, long term)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        byte[] bytes = checkpoint.toBytes();
        CheckpointStore.Publication p = new CheckpointStore.Publication(model.name(), checkpoint.step(),
                checkpoint.epoch(), trainingMetrics, checkpoint.config().presetName(), checkpoint.config().width(),
                checkpoint.config().height(), term);
        CheckpointInfo info = null;
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        for (int attempt = 1; info == null; attempt++) {
            try {
                info = store.publish(p, bytes);
            } catch (CheckpointStore.StaleTermException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                long delay = backoff.nextDelayMs();
                LOG.warnf("checkpoint upload failed (attempt %d of %d): %s; retrying in %d ms", attempt, ATTEMPTS,
                        e.getMessage(), delay);
                Thread.sleep(delay);
            }
        }
        CheckpointEvent event = CheckpointEvent.newBuilder().setModelName(info.modelName()).setVersion(info.version())
                .setStep(info.step()).setEpoch(info.epoch()).setUri(info.uri()).setSha256(info.sha256())
                .setSizeBytes(info.sizeBytes()).putAllMetrics(info.metrics()).setCreatedAtMs(info.createdAtMs())
                .setPreset(info.preset()).setWidth(info.width()).setHeight(info.height()).setTerm(info.term()).build();
        events.sendMessage(KafkaRecords.keyed(info.modelName(), event))
                .await().atMost(Duration.ofSeconds(60));
        metrics.checkpoint(info.sizeBytes(), System.nanoTime() - t0);
        LOG.infof("checkpoint %s/%s published (step %d, %d bytes, %s)", info.modelName(), info.version(), info.step(),
                info.sizeBytes(), info.uri());
        return info;
    }
}
