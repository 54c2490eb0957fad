package io.cimle.trainer;

import io.cimle.core.data.Example;
import io.cimle.core.training.ImleTrainer;
import io.cimle.core.training.NoGradientException;
import io.cimle.core.training.TrainingDivergedException;
import io.cimle.core.training.distance.Distance;
import io.cimle.service.Backoff;
import io.cimle.trainer.TrainingState.Phase;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs conditional IMLE in the background while this replica leads: waits for enough pairs, resumes
 * from the latest complete checkpoint (parameters, optimizer, step, RNG), trains epoch by epoch and
 * checkpoints through {@link CheckpointUploads}. Pairs that arrive during an epoch join the next one,
 * and the rebalancing statistics are refitted then. The phases are this class's; the lease is
 * {@link Leadership}'s, the trainer's making {@link TrainerStarter}'s, the REST switches
 * {@link TrainingControls}', what it reports {@link TrainingState}'s.
 */
@ApplicationScoped
public class TrainingLoop {
    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);

    @Inject
    TrainerSettings settings;
    @Inject
    TrainingSetup setup;
    @Inject
    TrainerMetrics metrics;
    @Inject
    TrainingState state;
    @Inject
    TrainingControls controls;
    @Inject
    Leadership leadership;
    @Inject
    TrainerStarter starter;

    private Thread worker;
    private TrainerStarter.Started trainer;
    private Distance distance;
    private int dataEpoch = -1; // the epoch whose start last loaded the data set

    void onStart(@Observes StartupEvent event) {
        controls.autoStart(settings.trainer().autoStart());
        worker = new Thread(this::run, "imle-training");
        worker.setDaemon(true);
        worker.start();
        leadership.open(controls::wake);
    }

    void onStop(@Observes ShutdownEvent event) {
        controls.close();
        leadership.close();
        if (worker != null) {
            try {
                worker.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
        try {
            while (!controls.closing()) {
                try {
                    if (step()) {
                        backoff.reset();
                    }
                } catch (CheckpointUploads.Fenced e) {
                    fenced(e);
                } catch (IOException | UncheckedIOException e) {
                    storageFailed(e, backoff.nextDelayMs());
                }
            }
        } catch (NoGradientException e) {
            // A step whose backward pass reached no parameter is a fault, not weather: say so and stop.
            metrics.noGradient();
            fail("training stopped: " + e.getMessage(), e);
        } catch (TrainingDivergedException e) {
            metrics.lossNotFinite();
            fail("training diverged; no checkpoint was written from the poisoned state: " + e.getMessage(), e);
        } catch (Exception e) {
            fail("training failed: " + e, e);
        } finally {
            closeTrainer();
            if (distance != null) {
                distance.close();
            }
        }
    }

    /** One turn of the phase machine; true when it trained (an epoch, or up to a pause). */
    private boolean step() throws Exception {
        if (!leadership.leadsUnfenced()) {
            closeTrainer();
            return idle(leadership.fenced() ? Phase.FENCED : Phase.STANDBY, 1000);
        }
        if (!controls.unpaused()) {
            return idle(Phase.PAUSED, 1000);
        }
        state.datasetSize(setup.store().size());
        if (state.datasetSize() < settings.trainer().minDatasetSize()) {
            return idle(Phase.WAITING_FOR_DATA, 2000);
        }
        ImleTrainer t = trainer();
        if (t.progress().epoch() >= t.config().epochs()) {
            return idle(Phase.DONE, 5000);
        }
        if (t.progress().stepInEpoch() == 0 && t.progress().epoch() != dataEpoch) {
            refitData(t);
        }
        state.phase(Phase.TRAINING);
        int epoch = t.progress().epoch();
        t.trainUntil(p -> p.epoch() != epoch || !mayTrain());
        return true;
    }

    private boolean idle(Phase phase, long ms) {
        state.phase(phase);
        controls.idle(ms);
        return false;
    }

    /** The trainer, started (on the data as it is now) when there is none. */
    private ImleTrainer trainer() throws Exception {
        if (distance == null) {
            distance = starter.distance();
        }
        if (trainer == null) {
            trainer = starter.start(distance);
            dataEpoch = trainer.trainer().progress().epoch();
        }
        return trainer.trainer();
    }

    /**
     * Epoch boundary: new pairs join, the rarity statistics are refitted on them (once per epoch, not again
     * after a pause at the boundary).
     */
    private void refitData(ImleTrainer t) throws IOException {
        List<Example> examples = setup.store().loadAll();
        state.datasetSize(examples.size());
        t.continueWith(examples, starter.imleConfig(examples.size()));
        dataEpoch = t.progress().epoch();
    }

    private boolean mayTrain() {
        return controls.running() && leadership.leadsUnfenced();
    }

    private void fenced(CheckpointUploads.Fenced e) {
        leadership.fence();
        state.failure(e.getMessage());
        LOG.errorf("stale leader: %s; this replica stops training and publishes nothing until it leads "
                + "again", e.getMessage());
        closeTrainer();
    }

    /**
     * Storage (or a read of it) failed: nothing is lost, the next attempt resumes from the latest complete
     * checkpoint. Back off and retry rather than give up.
     */
    private void storageFailed(Exception e, long delay) {
        state.storageFailure(e.getMessage());
        LOG.warnf("training paused by a storage error (%s); retrying in %d ms from the latest checkpoint",
                e.getMessage(), delay);
        metrics.storageError();
        closeTrainer();
        controls.idle(delay);
    }

    private void fail(String message, Exception e) {
        state.failed(message);
        LOG.error(message, e);
    }

    private void closeTrainer() {
        if (trainer != null) {
            trainer.close();
            trainer = null;
        }
    }
}
