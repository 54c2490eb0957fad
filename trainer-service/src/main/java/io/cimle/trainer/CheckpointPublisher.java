package io.cimle.trainer;

import io.cimle.core.model.Checkpoint;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.service.kafka.KafkaRecords;
import io.cimle.service.model.ModelSettings;
import io.cimle.wire.v1.CheckpointEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Makes a checkpoint durable and tells the world: upload and verify through the {@link CheckpointStore}
 * (readers never see a half-written one), then a {@link CheckpointEvent} on the compacted checkpoints
 * topic, keyed by model name. One attempt: the S3 client retries a failed request (a reset connection,
 * a 5xx) and the training loop waits out an outage, keeping the trainer's state ({@code TrainingLoop}).
 */
@ApplicationScoped
public class CheckpointPublisher {
    private static final Logger LOG = Logger.getLogger(CheckpointPublisher.class);

    @Inject
    CheckpointStore store;
    @Inject
    TrainerSettings settings;
    @Inject
    ModelSettings model;
    @Inject
    TrainerMetrics metrics;

    @Inject
    @Channel("checkpoint-events")
    MutinyEmitter<CheckpointEvent> events;

    /**
     * A checkpoint ready to upload: its bytes and what the store records of it, made once however often the
     * upload is tried.
     */
    public record Prepared(CheckpointStore.Publication publication, byte[] bytes, long serializeNanos) {
    }

    /** Serialises {@code checkpoint} for leadership term {@code term}. */
    public Prepared prepare(Checkpoint checkpoint, Map<String, Double> trainingMetrics, long term) {
        long t0 = System.nanoTime();
        byte[] bytes = checkpoint.toBytes();
        CheckpointStore.Publication p = new CheckpointStore.Publication(model.name(), checkpoint.step(),
                checkpoint.epoch(), trainingMetrics, checkpoint.config().presetName(), checkpoint.config().width(),
                checkpoint.config().height(), term);
        return new Prepared(p, bytes, System.nanoTime() - t0);
    }

    /**
     * Publishes; a {@link CheckpointStore.StaleTermException} means a newer term exists: the caller is a stale
     * leader and must stop.
     */
    public CheckpointInfo publish(Prepared prepared) throws IOException {
        long t0 = System.nanoTime();
        CheckpointInfo info = store.publish(prepared.publication(), prepared.bytes());
        CheckpointEvent event = CheckpointEvent.newBuilder().setModelName(info.modelName()).setVersion(info.version())
                .setStep(info.step()).setEpoch(info.epoch()).setUri(info.uri()).setSha256(info.sha256())
                .setSizeBytes(info.sizeBytes()).putAllMetrics(info.metrics()).setCreatedAtMs(info.createdAtMs())
                .setPreset(info.preset()).setWidth(info.width()).setHeight(info.height()).setTerm(info.term()).build();
        events.sendMessage(KafkaRecords.keyed(info.modelName(), event))
                .await().atMost(Duration.ofSeconds(60));
        metrics.checkpoint(info.sizeBytes(), prepared.serializeNanos() + System.nanoTime() - t0);
        LOG.infof("checkpoint %s/%s published (step %d, %d bytes, %s)", info.modelName(), info.version(), info.step(),
                info.sizeBytes(), info.uri());
        return info;
    }
}
