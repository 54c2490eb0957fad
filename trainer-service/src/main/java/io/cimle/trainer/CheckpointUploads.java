package io.cimle.trainer;

import io.cimle.core.model.Checkpoint;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.training.TrainingProgress;
import io.cimle.service.Backoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The one place a checkpoint upload is retried (beneath it the S3 client retries single requests): while
 * this replica leads, the trainer waits with its state kept, so an outage costs time, not steps.
 */
@ApplicationScoped
public class CheckpointUploads {
    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);

    /** Thrown out of the trainer's checkpoint sink when the store refused a publication as stale. */
    static final class Fenced extends RuntimeException {
        Fenced(CheckpointStore.StaleTermException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The upload itself, as {@link CheckpointPublisher#publish} does it. */
    interface Upload {
        CheckpointInfo publish(CheckpointPublisher.Prepared prepared) throws IOException;
    }

    @Inject
    CheckpointPublisher publisher;
    @Inject
    TrainerMetrics metrics;
    @Inject
    TrainingState state;
    @Inject
    TrainingControls controls;
    @Inject
    Leadership leadership;

    Duration firstDelay = Duration.ofMillis(500);
    Duration maxDelay = Duration.ofSeconds(30);

    /** The trainer's checkpoint sink: publishes under the current term, retrying while this replica leads. */
    String publish(Checkpoint checkpoint, TrainingProgress p) {
        Map<String, Double> trainingMetrics = Map.of("loss", state.lastLoss(), "epoch", (double) p.epoch(),
                "dataset_size", (double) state.datasetSize());
        return publish(publisher.prepare(checkpoint, trainingMetrics, state.term()), publisher::publish);
    }

    String publish(CheckpointPublisher.Prepared prepared, Upload upload) {
        Backoff backoff = new Backoff(firstDelay, maxDelay);
        while (true) {
            try {
                CheckpointInfo info = upload.publish(prepared);
                state.version(info.version());
                state.storageRecovered();
                return info.uri();
            } catch (CheckpointStore.StaleTermException e) {
                throw new Fenced(e);
            } catch (IOException e) {
                if (controls.closing() || !leadership.isLeader()) {
                    // Nobody to publish for: the loop's storage handler counts it and lets the trainer go.
                    throw new UncheckedIOException(e);
                }
                metrics.storageError();
                state.storageFailure(e.getMessage());
                long delay = backoff.nextDelayMs();
                LOG.warnf("checkpoint upload failed (%s); the trainer keeps its state and retries in %d ms",
                        e.getMessage(), delay);
                controls.idle(delay);
            }
        }
    }
}
