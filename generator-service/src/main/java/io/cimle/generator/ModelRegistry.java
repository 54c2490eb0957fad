package io.cimle.generator;

import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.service.Backoff;
import io.cimle.service.model.ModelSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The models this pod serves: the latest version (switched atomically between batches when a new
 * checkpoint is announced) and a small LRU of pinned versions requests asked for by name.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    @Inject
    ModelSettings model;
    @Inject
    CheckpointStore checkpoints;
    @Inject
    ModelLoader loading;
    @Inject
    GeneratorMetrics metrics;

    private final AtomicReference<LoadedModel> latest = new AtomicReference<>();
    private final ModelAvailability availability = new ModelAvailability();
    /** Retries of the latest checkpoint's load while none is served (the store unreachable, a load failed). */
    private final Backoff loadRetry = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** Held while the store is looked at again, so one caller reads it and the others see the answer. */
    private final Object recheck = new Object();
    private PinnedVersions pinned;
    private final ScheduledExecutorService loader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "model-loader");
        t.setDaemon(true);
        return t;
    });

    /** Thrown when a request pins a version the store does not have. */
    public static final class UnknownVersionException extends Exception {
        UnknownVersionException(String message) {
            super(message);
        }
    }

    @PostConstruct
    void init() {
        pinned = new PinnedVersions(model.cacheSize() - 1); // the latest takes one of the cache's places
    }

    void onStart(@Observes StartupEvent event) {
        loader.submit(this::loadLatest);
    }

    void onStop(@Observes ShutdownEvent event) {
        loader.shutdownNow();
        LoadedModel m = latest.getAndSet(null);
        if (m != null) {
            m.release();
        }
        synchronized (pinned) {
            pinned.clear();
        }
    }

    /**
     * Reads the store's latest version and loads it. While none is served, a failure (the store
     * unreachable, a broken checkpoint) is retried with backoff: requests wait in Kafka meanwhile, since
     * the store may well hold a model.
     */
    private void loadLatest() {
        long look = System.nanoTime();
        try {
            Optional<CheckpointInfo> info = checkpoints.latest(model.name());
            if (info.isPresent()) {
                availability.loading();
                switchTo(info.get());
            } else {
                availability.noneStored(look);
                LOG.infof("no checkpoint yet for model %s: requests are answered NO_MODEL_LOADED until one is published",
                        model.name());
            }
            loadRetry.reset();
        } catch (IOException | RuntimeException e) {
            retryLatestLoad(e);
        }
    }

    private void retryLatestLoad(Exception e) {
        if (latest.get() != null) {
            LOG.errorf(e, "loading the latest checkpoint of %s failed; still serving version %s", model.name(),
                    latest.get().version());
            return;
        }
        availability.unknown();
        long delay = loadRetry.nextDelayMs();
        LOG.errorf(e, "loading the latest checkpoint of %s failed; requests wait in Kafka, retrying in %d ms",
                model.name(), delay);
        loader.schedule(this::loadLatest, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Loads the announced version in the background; the switch happens between batches. An announcement
     * older in (term, step) than the model served (a stale trainer's, or a replay) is refused: the log says
     * so and cimle_generator_checkpoints_refused_total counts it.
     */
    public void announce(String modelName, String version, long term, long step) {
        if (!model.name().equals(modelName)) {
            return;
        }
        LoadedModel current = latest.get();
        if (current != null && current.version().equals(version)) {
            return;
        }
        // An event that carries its (term, step) is judged at once; the sidecar read below decides in any case.
        if (current != null && (term > 0 || step > 0) && !newer(term, step, current)) {
            refuse(modelName, version, term, step, current);
            return;
        }
        availability.loading();
        loader.submit(() -> {
            try {
                Optional<CheckpointInfo> info = checkpoints.version(modelName, version);
                if (info.isEmpty()) {
                    LOG.warnf("announced checkpoint %s/%s is not in the store", modelName, version);
                    if (latest.get() == null) {
                        loadLatest();
                    }
                    return;
                }
                switchTo(info.get());
            } catch (IOException | RuntimeException e) {
                if (latest.get() == null) {
                    retryLatestLoad(e);
                } else {
                    LOG.errorf(e, "loading checkpoint %s/%s failed; still serving the previous version", modelName, version);
                }
            }
        });
    }

    private static boolean newer(long term, long step, LoadedModel than) {
        return term != than.term() ? term > than.term() : step > than.step();
    }

    private void refuse(String modelName, String version, long term, long step, LoadedModel current) {
        metrics.checkpointRefused();
        LOG.warnf("checkpoint %s/%s (term %d, step %d) is older than the one served, %s (term %d, step %d): not "
                + "switching to it", modelName, version, term, step, current.version(), current.term(), current.step());
    }

    /** Loads and installs a version as the latest, if it is newer in (term, step) than what is served. */
    synchronized void switchTo(CheckpointInfo info) throws IOException {
        LoadedModel current = latest.get();
        if (current != null && (current.version().equals(info.version())
                || !newer(info.term(), info.step(), current))) {
            if (current != null && !current.version().equals(info.version())) {
                refuse(info.modelName(), info.version(), info.term(), info.step(), current);
            }
            return;
        }
        LoadedModel loaded = loading.load(info);
        LoadedModel old = latest.getAndSet(loaded);
        availability.serving();
        if (old != null) {
            old.release();
        }
        metrics.modelLoaded(loaded);
        LOG.infof("serving model %s version %s (term %d, step %d, preset %s %dx%d)", info.modelName(), info.version(),
                info.term(), info.step(), loaded.config().presetName(), loaded.config().width(), loaded.config().height());
    }

    /**
     * The model a request names, acquired (the caller must {@link LoadedModel#release()} it, or hand it to a
     * {@link ModelLease}): {@code modelName} must be this generator's (or empty), {@code version} a stored
     * version (or empty for the latest).
     */
    public Optional<LoadedModel> acquire(String modelName, String version) throws UnknownVersionException, IOException {
        if (modelName != null && !modelName.isEmpty() && !modelName.equals(model.name())) {
            throw new UnknownVersionException("this generator serves model '" + model.name() + "', not '" + modelName
                    + "'; send the request to that model's generators or leave model_name empty");
        }
        return acquire(version);
    }

    /**
     * The model to use for a request, acquired: the latest when version is empty, else that version (loaded on
     * demand into the LRU).
     */
    public Optional<LoadedModel> acquire(String version) throws UnknownVersionException, IOException {
        if (version == null || version.isEmpty()) {
            while (true) {
                LoadedModel m = latest.get();
                if (m == null) {
                    return Optional.empty();
                }
                if (m.acquire()) {
                    return Optional.of(m);
                }
            }
        }
        LoadedModel current = latest.get();
        if (current != null && current.version().equals(version) && current.acquire()) {
            return Optional.of(current);
        }
        synchronized (pinned) {
            LoadedModel m = pinned.get(version);
            if (m != null && m.acquire()) {
                return Optional.of(m);
            }
            CheckpointInfo info = checkpoints.version(model.name(), version)
                    .orElseThrow(() -> new UnknownVersionException("model " + model.name() + " has no version '"
                            + version + "' (latest: " + (current == null ? "none" : current.version()) + ")"));
            LoadedModel loaded = loading.load(info);
            loaded.acquire(); // before it can be pushed out again
            pinned.put(loaded);
            return Optional.of(loaded);
        }
    }

    /** Whether a request received now may be answered: {@link #answerable(long)} of now. */
    public boolean answerable() {
        return answerable(System.nanoTime());
    }

    /**
     * Whether a request received at {@code receivedNanos} ({@link System#nanoTime()}) may be answered:
     * a model is served, or the store held none at a look that began after the request arrived (so a
     * model published before the request was sent is always seen). When the last look is older, the
     * store is read again on the caller's thread: one read per batch of requests, only while no model
     * exists. False while a model that exists is still loading: the request must wait.
     */
    public boolean answerable(long receivedNanos) {
        if (availability.emptyOnlyBefore(receivedNanos)) {
            synchronized (recheck) {
                if (availability.emptyOnlyBefore(receivedNanos)) {
                    lookAgain();
                }
            }
        }
        return availability.answerable();
    }

    private void lookAgain() {
        long look = System.nanoTime();
        try {
            if (checkpoints.latest(model.name()).isPresent()) {
                availability.loading();
                loader.submit(this::loadLatest);
            } else {
                availability.noneStored(look);
            }
        } catch (IOException | RuntimeException e) {
            availability.unknown(); // whether a model exists is unknown: requests wait for the retried load
            loader.submit(() -> retryLatestLoad(e));
        }
    }

    /** Waits up to {@code ms} for {@link #answerable()}; returns it. */
    public boolean awaitAnswerable(long ms) throws InterruptedException {
        return answerable() || availability.await(ms) && answerable();
    }

    /** Where this generator stands with its model (for health and the consumer's log). */
    public ModelAvailability.State availability() {
        return availability.state();
    }

    public Optional<LoadedModel> current() {
        return Optional.ofNullable(latest.get());
    }
}
