package io.cimle.generator;

import io.cimle.core.data.RgbImage;
import io.cimle.wire.v1.ErrorCode;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Runs planned requests, from Kafka and REST alike, as batched forward passes on one thread, at the
 * model's pace: a request that finds the generator idle runs at once, and whatever queued while a pass
 * ran shares the next one (up to {@code max-batch} samples, requests of one model, in arrival order).
 * Nothing waits for a batch to fill unless {@code busy-wait-ms} asks for it, and then only while the
 * generator is busy. A style reference is a pass of its own: its search, then its samples.
 *
 * <p>Work in flight is bounded: {@link #offer} refuses a request while {@code max-in-flight} requests
 * are unanswered; the Kafka consumer then pauses its partitions ({@link RequestConsumer}), REST answers 503.
 * Each request's {@link Outcome} goes to its {@link Answer}.
 */
@ApplicationScoped
public class MicroBatcher {
    private static final Logger LOG = Logger.getLogger(MicroBatcher.class);

    @Inject
    GeneratorSettings settings;
    @Inject
    SampleRunner runner;
    @Inject
    GeneratorMetrics metrics;

    private final LinkedBlockingDeque<Work> queue = new LinkedBlockingDeque<>();
    private volatile Semaphore inFlight;
    private volatile Thread worker;
    /**
     * Encodes and publishes a pass's replies while the next pass runs (on a GPU the forward leaves the
     * CPU free for PNG encoding); one thread keeps each request's samples in order.
     */
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(AllCores.daemons("cimle-replies-"));
    /** PNG encoders beside the publishing thread, one per other core. */
    private final AllCores encoders = new AllCores("cimle-encode-");
    private volatile boolean stopping;
    /** When the last pass ended with requests still queued: the generator counts as busy until then plus the wait. */
    private volatile long busyUntilNanos;
    /** Passes run so far: each pass's number goes out with its samples. */
    private final AtomicLong passes = new AtomicLong();

    /**
     * One request to run: the lease on its model (the batcher's once {@link #offer} took the work: closed here
     * once its samples are made), where its outcome goes, and the future completed when that answer is durable.
     */
    public record Work(PlannedRequest request, ModelLease lease, Answer answer, CompletableFuture<Void> answered) {
        public Work(PlannedRequest request, ModelLease lease, Answer answer) {
            this(request, lease, answer, new CompletableFuture<>());
        }

        LoadedModel model() {
            return lease.model();
        }
    }

    /**
     * Queues one request unless {@code max-in-flight} requests are unanswered; false then (nothing queued, the
     * work and its lease stay the caller's).
     */
    public boolean offer(Work work) {
        start();
        if (!inFlight.tryAcquire()) {
            return false;
        }
        metrics.inFlight(1);
        work.answered().whenComplete((v, e) -> {
            metrics.inFlight(-1);
            inFlight.release();
        });
        queue.add(work);
        return true;
    }

    /** Waits up to {@code timeoutMs} until fewer than {@code max-in-flight} requests are unanswered. */
    public boolean awaitCapacity(long timeoutMs) throws InterruptedException {
        start();
        if (inFlight.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
            inFlight.release();
            return true;
        }
        return false;
    }

    private synchronized void start() {
        if (worker == null) {
            inFlight = new Semaphore(Math.max(1, settings.generator().maxInFlight()));
            worker = new Thread(this::loop, "cimle-batcher");
            worker.setDaemon(true);
            worker.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        publisher.shutdown();
        encoders.shutdown();
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    private void loop() {
        while (!stopping) {
            List<Work> pass;
            try {
                pass = nextPass();
            } catch (InterruptedException e) {
                break;
            }
            run(pass);
        }
        // Queued requests stay unanswered and unacknowledged: whichever consumer owns their partition
        // next gets them again.
        List<Work> left = new ArrayList<>();
        queue.drainTo(left);
        closeLeases(left);
    }

    /**
     * The requests of the next pass: the oldest one, then queued ones of its model while they fit in
     * max-batch; a style reference alone.
     */
    private List<Work> nextPass() throws InterruptedException {
        Work first = queue.take();
        List<Work> pass = new ArrayList<>(List.of(first));
        if (first.request().style() != null) {
            return pass;
        }
        int maxBatch = Math.max(1, settings.generator().maxBatch());
        int samples = first.request().size();
        long waitNanos = TimeUnit.MILLISECONDS.toNanos(settings.generator().busyWaitMs());
        long deadline = System.nanoTime() + waitNanos;
        boolean busy = waitNanos > 0 && System.nanoTime() < busyUntilNanos;
        while (samples < maxBatch) {
            Work next = queue.peekFirst();
            if (next == null && busy) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                next = queue.pollFirst(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                queue.addFirst(next);
            }
            if (next == null || next.model() != first.model() || next.request().style() != null
                    || samples + next.request().size() > maxBatch) {
                break;
            }
            pass.add(queue.pollFirst());
            samples += next.request().size();
        }
        return pass;
    }

    private void run(List<Work> pass) {
        LoadedModel model = pass.get(0).model();
        SampleRunner.Result result;
        long startedAtMs = System.currentTimeMillis();
        long number = passes.incrementAndGet();
        List<PlannedRequest> requests;
        try {
            requests = pass.stream().map(w -> withStyleFound(w.request(), model)).toList();
            result = runner.run(model, requests);
        } catch (Exception e) {
            LOG.errorf(e, "generating %d requests failed", pass.size());
            for (Work w : pass) {
                w.answer().deliver(Outcome.failed(ErrorCode.INTERNAL, "generation failed: " + e)).whenComplete(complete(w));
            }
            return;
        } finally {
            closeLeases(pass);
            if (!queue.isEmpty()) {
                busyUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.generator().busyWaitMs());
            }
        }
        SampleRunner.Result made = result;
        try {
            publisher.execute(() -> publish(pass, requests, made, model.version(), number, startedAtMs));
        } catch (RejectedExecutionException e) {
            // Stopping: these stay unanswered and unacknowledged, so they are redelivered.
        }
    }

    /** A style reference's codes, found on this thread (the network's): a request with codes as it is. */
    private PlannedRequest withStyleFound(PlannedRequest request, LoadedModel model) {
        PlannedRequest.StyleQuery q = request.style();
        return q == null ? request : request.withCodes(runner.findStyle(model, q.layout(), q.photo(), q.candidates(),
                q.seed(), q.n()));
    }

    private void publish(List<Work> pass, List<PlannedRequest> requests, SampleRunner.Result result, String modelVersion,
                         long number, long startedAtMs) {
        // A pass's samples are encoded on all cores (PNG encoding is CPU-bound), this thread among them, so
        // a small pass does not wait for a pool thread to wake; then sent from this one thread, in order.
        List<Runnable> jobs = new ArrayList<>();
        List<CompletableFuture<EncodedImage>> encodings = new ArrayList<>();
        for (int r = 0; r < pass.size(); r++) {
            PlannedRequest request = requests.get(r);
            for (RgbImage image : result.images().get(r)) {
                CompletableFuture<EncodedImage> encoded = new CompletableFuture<>();
                encodings.add(encoded);
                jobs.add(() -> {
                    try {
                        encoded.complete(EncodedImage.of(request, image));
                    } catch (RuntimeException | Error e) {
                        encoded.completeExceptionally(e);
                    }
                });
            }
        }
        encoders.run(jobs);
        int k = 0;
        for (int r = 0; r < pass.size(); r++) {
            Work w = pass.get(r);
            PlannedRequest request = requests.get(r);
            Outcome outcome;
            try {
                List<EncodedImage> images = new ArrayList<>(request.size());
                for (int i = 0; i < request.size(); i++) {
                    images.add(encodings.get(k + i).join());
                }
                outcome = new Outcome.Samples(request, images, modelVersion, result.modelMs(), number, startedAtMs);
            } catch (CompletionException e) {
                LOG.errorf(e.getCause(), "encoding the samples of %s failed", request.requestId());
                outcome = Outcome.failed(ErrorCode.INTERNAL, "encoding failed: " + e.getCause());
            }
            k += request.size();
            long start = request.receivedAtMs();
            boolean ok = outcome instanceof Outcome.Samples;
            w.answer().deliver(outcome)
                    .thenRun(() -> {
                        if (ok) {
                            metrics.requestOk((System.currentTimeMillis() - start) * 1_000_000L);
                        }
                    })
                    .exceptionallyCompose(e -> {
                        // A sample that could not be stored or sent: the error completes the answer (samples
                        // already sent stay sent; the client drops repeats).
                        LOG.errorf(e, "publishing the samples of %s failed", request.requestId());
                        return w.answer().deliver(Outcome.failed(ErrorCode.INTERNAL, "publishing failed: " + e));
                    })
                    .whenComplete(complete(w));
        }
    }

    /** The works are done with their model: their pass ran, or they are dropped unrun. */
    private static void closeLeases(List<Work> works) {
        works.forEach(w -> w.lease().close());
    }

    private static BiConsumer<Void, Throwable> complete(Work w) {
        return (v, e) -> {
            if (e == null) {
                w.answered().complete(null);
            } else {
                w.answered().completeExceptionally(e);
            }
        };
    }
}
