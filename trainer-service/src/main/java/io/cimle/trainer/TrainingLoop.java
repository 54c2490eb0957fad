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
import io.cimle.core.training.NoGradientException;
import io.cimle.core.training.TrainingDivergedException;
import io.cimle.core.training.TrainingListener;
import io.cimle.core.training.TrainingProgress;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.DistanceConfig;
import io.cimle.core.training.distance.Distances;
import io.cimle.service.Backoff;
import io.cimle.service.model.ModelSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs conditional IMLE in the background while this replica leads: waits for enough pairs, resumes
 * from the latest complete checkpoint (parameters, optimizer, step, RNG), trains epoch by epoch and
 * checkpoints through {@link CheckpointPublisher}. Pairs that arrive during an epoch join the next one,
 * and the rebalancing statistics are refitted then.
 */
@ApplicationScoped
public class TrainingLoop {
    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);

    /**
     * What the loop is doing, for /api/trainer/status and the logs. FENCED: a newer leadership term exists
     * (another replica leads since this one stalled past its lease), so this replica publishes nothing
     * and waits until it wins the lease again (without leader election: for good, the newer trainer trains).
     */
    public enum Phase { STANDBY, WAITING_FOR_DATA, TRAINING, PAUSED, DONE, FAILED, FENCED }

    /** Thrown out of the trainer's checkpoint sink when the store refused a publication as stale. */
    private static final class Fenced extends RuntimeException {
        Fenced(CheckpointStore.StaleTermException cause) {
            super(cause.getMessage(), cause);
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
    CheckpointPublisher publisher;
    @Inject
    TrainerMetrics metrics;
    @Inject
    Instance<KubernetesClient> kubernetes;

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STANDBY);
    private volatile boolean paused;
    private final AtomicBoolean checkpointRequested = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean closing;
    private volatile String failure = "";
    private volatile double lastLoss = Double.NaN;
    private volatile Double codeSpread; // the last epoch's, null before the first
    private volatile TrainingProgress progress;
    private volatile String version = "";
    private volatile long datasetSize;
    /** The leadership term the current trainer publishes under (claimed when it started); 0 before. */
    private volatile long term;
    /** Set when a publication was refused as stale; cleared when this replica wins the lease again. */
    private volatile boolean fenced;
    private LeaderElection election;
    private Thread worker;
    /** The network the trainer trains: this loop creates it and closes it after the trainer. */
    private GeneratorNetwork network;

    void onStart(@Observes StartupEvent event) {
        started = settings.trainer().autoStart();
        worker = new Thread(this::run, "imle-training");
        worker.setDaemon(true);
        worker.start();
        LeaderElection.Listener listener = new LeaderElection.Listener() {
            @Override
            public void started() {
                metrics.leader(true);
                fenced = false; // a fresh leadership: the trainer will claim a new term
                synchronized (TrainingLoop.this) {
                    TrainingLoop.this.notifyAll();
                }
            }

            @Override
            public void stopped() {
                metrics.leader(false);
            }
        };
        TrainerSettings.LeaderElection le = settings.trainer().leaderElection();
        if (le.enabled()) {
            KubernetesClient client = kubernetes.get();
            String ns = le.namespace().or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                    .orElseGet(client::getNamespace);
            election = LeaderElection.onKubernetes(client, ns, le.leaseName(), le.identity(),
                    Duration.ofSeconds(le.leaseDurationSeconds()), Duration.ofSeconds(le.renewDeadlineSeconds()),
                    Duration.ofSeconds(le.retryPeriodSeconds()), listener);
        } else {
            election = LeaderElection.alwaysLeader(listener);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        closing = true;
        wake();
        if (election != null) {
            election.close();
        }
        if (worker != null) {
            try {
                worker.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void wake() {
        notifyAll();
    }

    private synchronized void idle(long ms) {
        try {
            wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    private boolean mayTrain() {
        return !closing && started && !paused && !fenced && election != null && election.isLeader();
    }

    private void run() {
        ImleTrainer trainer = null;
        Distance distance = null;
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
        int dataEpoch = -1; // the epoch whose start last loaded the data set
        try {
            while (!closing) {
                try {
                    if (election == null || !election.isLeader() || fenced) {
                        trainer = closeTrainer(trainer);
                        phase.set(fenced ? Phase.FENCED : Phase.STANDBY);
                        idle(1000);
                        continue;
                    }
                    if (!started || paused) {
                        phase.set(Phase.PAUSED);
                        idle(1000);
                        continue;
                    }
                    datasetSize = setup.store().size();
                    if (datasetSize < settings.trainer().minDatasetSize()) {
                        phase.set(Phase.WAITING_FOR_DATA);
                        idle(2000);
                        continue;
                    }
                    if (distance == null) {
                        distance = Distances.create(distanceConfig(), device());
                    }
                    if (trainer == null) {
                        trainer = startTrainer(distance); // on the data as it is now
                        dataEpoch = trainer.progress().epoch();
                    }
                    if (trainer.progress().epoch() >= trainer.config().epochs()) {
                        phase.set(Phase.DONE);
                        idle(5000);
                        continue;
                    }
                    if (trainer.progress().stepInEpoch() == 0 && trainer.progress().epoch() != dataEpoch) {
                        // Epoch boundary: new pairs join, the rarity statistics are refitted on them (once per
                        // epoch, not again after a pause at the boundary).
                        List<Example> examples = setup.store().loadAll();
                        datasetSize = examples.size();
                        trainer.continueWith(examples, imleConfig(examples.size()));
                        dataEpoch = trainer.progress().epoch();
                    }
                    phase.set(Phase.TRAINING);
                    int epoch = trainer.progress().epoch();
                    trainer.trainUntil(p -> p.epoch() != epoch || !mayTrain());
                    backoff.reset();
                } catch (Fenced e) {
                    fenced = true;
                    metrics.fenced();
                    failure = e.getMessage();
                    LOG.errorf("stale leader: %s; this replica stops training and publishes nothing until it leads "
                            + "again", e.getMessage());
                    trainer = closeTrainer(trainer);
                } catch (IOException | UncheckedIOException e) {
                    // Storage (or a read of it) failed: nothing is lost, the next attempt resumes from the
                    // latest complete checkpoint. Back off and retry rather than give up.
                    failure = "storage: " + e.getMessage();
                    long delay = backoff.nextDelayMs();
                    LOG.warnf("training paused by a storage error (%s); retrying in %d ms from the latest checkpoint",
                            e.getMessage(), delay);
                    metrics.storageError();
                    trainer = closeTrainer(trainer);
                    idle(delay);
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
            closeTrainer(trainer);
            if (distance != null) {
                distance.close();
            }
        }
    }

    private void fail(String message, Exception e) {
        failure = message;
        phase.set(Phase.FAILED);
        LOG.error(message, e);
    }

    /** A trainer on the current data: continues the latest checkpoint (statistics refitted) or starts afresh. */
    private ImleTrainer startTrainer(Distance distance) throws Exception {
        List<Example> examples = setup.store().loadAll();
        datasetSize = examples.size();
        ImleConfig config = imleConfig(examples.size());
        // The fencing token first: a trainer that claims it later is newer, and this one's publications stop.
        term = checkpoints.claimTerm(model.name(), election.identity());
        metrics.term(term);
        LOG.infof("leading %s under term %d", model.name(), term);
        Optional<CheckpointInfo> latest = checkpoints.latest(model.name());
        ImleTrainer trainer;
        if (latest.isPresent()) {
            Checkpoint from = Checkpoint.readFrom(new ByteArrayInputStream(checkpoints.read(latest.get())));
            version = latest.get().version();
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
        model.inferenceChunk().ifPresent(chunk -> network.setInferenceChunk(chunk));
        CheckpointPolicy policy = new StepCheckpointPolicy(settings.trainer().checkpointEverySteps(), checkpointRequested);
        return trainer.setMinCodeSpread(settings.trainer().imle().minCodeSpread().orElse(ModelHealth.DEFAULT_MIN_CODE_SPREAD))
                .setHealthCheck(settings.trainer().imle().healthCheck())
                .addMetadata(Map.of(Checkpoint.LABEL_SET_KEY, setup.labels().toJson()))
                .addListener(listener(config.subBatch())).checkpointTo(this::publish, policy);
    }

    /**
     * The one place a checkpoint upload is retried (beneath it the S3 client retries single requests): while
     * this replica leads, the trainer waits with its state kept, so an outage costs time, not steps.
     */
    private String publish(Checkpoint checkpoint, TrainingProgress p) {
        Map<String, Double> trainingMetrics = Map.of("loss", lastLoss, "epoch", (double) p.epoch(),
                "dataset_size", (double) datasetSize);
        CheckpointPublisher.Prepared prepared = publisher.prepare(checkpoint, trainingMetrics, term);
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        while (true) {
            try {
                CheckpointInfo info = publisher.publish(prepared);
                version = info.version();
                if (failure.startsWith("storage: ")) {
                    failure = "";
                }
                return info.uri();
            } catch (CheckpointStore.StaleTermException e) {
                throw new Fenced(e);
            } catch (IOException e) {
                if (closing || election == null || !election.isLeader()) {
                    // Nobody to publish for: the loop's storage handler counts it and lets the trainer go.
                    throw new UncheckedIOException(e);
                }
                metrics.storageError();
                failure = "storage: " + e.getMessage();
                long delay = backoff.nextDelayMs();
                LOG.warnf("checkpoint upload failed (%s); the trainer keeps its state and retries in %d ms",
                        e.getMessage(), delay);
                idle(delay);
            }
        }
    }

    private TrainingListener listener(int subBatch) {
        return new TrainingListener() {
            private long lastNanos = System.nanoTime();

            @Override
            public void onStep(TrainingProgress p, long step, double loss, double selectionMs, double updateMs) {
                long now = System.nanoTime();
                double perSecond = subBatch / Math.max(1e-9, (now - lastNanos) / 1e9);
                lastNanos = now;
                lastLoss = loss;
                progress = p;
                boolean firstOfEpoch = p.stepInEpoch() == 1;
                metrics.step(p.epoch(), step, loss, firstOfEpoch ? (long) (selectionMs * 1e6) : 0,
                        (long) (updateMs * 1e6), perSecond);
                if (step % 100 == 0) {
                    LOG.infof("epoch %d step %d/%d loss %.4f (selection %.0f ms/epoch, update %.1f ms/step)", p.epoch(),
                            p.stepInEpoch(), p.steps(), loss, selectionMs, updateMs);
                }
            }

            @Override
            public void onHealth(TrainingProgress p, ModelHealth health) {
                // The core logs an unhealthy verdict; the service keeps training and lets the alert speak.
                metrics.health(health);
                codeSpread = health.codeSpread();
            }
        };
    }

    private ImleConfig imleConfig(int datasetSize) {
        return imle.forDataset(datasetSize);
    }

    private DistanceConfig distanceConfig() {
        return settings.trainer().imle().vggWeights().map(p -> DistanceConfig.vgg19(p, "gta5")).orElseGet(DistanceConfig::defaults);
    }

    private Device device() {
        return model.device().resolve();
    }

    private ImleTrainer closeTrainer(ImleTrainer trainer) {
        if (trainer != null) {
            trainer.close();
        }
        if (network != null) {
            network.close();
            network = null;
        }
        return null;
    }

    // --- control, for the REST resource ---

    public void start() {
        started = true;
        paused = false;
        wake();
    }

    public void pause() {
        paused = true;
    }

    /**
     * Pauses after the current step, first writing a checkpoint of it (if training is running), so a
     * generator can serve exactly what was trained so far. Returns the version when written in time.
     */
    public String pauseWithCheckpoint(Duration timeout) throws InterruptedException {
        String before = version;
        boolean running = phase.get() == Phase.TRAINING;
        if (running) {
            checkpointRequested.set(true);
        }
        paused = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running && version.equals(before) && System.nanoTime() < deadline && phase.get() == Phase.TRAINING) {
            Thread.sleep(50);
        }
        return version;
    }

    public void resume() {
        paused = false;
        started = true;
        wake();
    }

    /** A snapshot for /api/trainer/status; codeSpread is the last epoch's (the health probe's), null before the first. */
    public record Status(String phase, boolean leader, String identity, String leaderIdentity, int epoch, int epochs,
            int stepInEpoch, int stepsPerEpoch, long globalStep, double loss, long datasetSize, String version,
            String failure, long term, Double codeSpread) {
    }

    public Status status() {
        TrainingProgress p = progress;
        ImleConfig idle = imleConfig(Integer.MAX_VALUE); // what a run would use, before one started
        long size = datasetSize;
        try {
            size = setup.store().size();
        } catch (Exception ignored) {
            // keep the last known size
        }
        return new Status(phase.get().name(), election != null && election.isLeader(),
                election == null ? "" : election.identity(), election == null ? "" : election.leader(),
                p == null ? 0 : p.epoch(), p == null ? idle.epochs() : p.epochs(),
                p == null ? 0 : p.stepInEpoch(), p == null ? idle.steps() : p.steps(),
                p == null ? 0 : p.globalStep(), lastLoss, size, version, failure, term, codeSpread);
    }
}
