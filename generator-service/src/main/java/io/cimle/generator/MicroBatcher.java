package io.cimle.generator;

import io.cimle.wire.v1.ErrorCode;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
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
    /** Encodes and delivers a pass's answers while the next pass runs; made on the first offer. */
    private volatile PassReplies replies;
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
            replies = new PassReplies(metrics);
            worker = new Thread(this::loop, "cimle-batcher");
            worker.setDaemon(true);
            worker.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        PassReplies r = replies;
        if (r != null) {
            r.shutdown();
        }
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
        replies.publish(pass, requests, result, model.version(), number, startedAtMs);
    }

    /** A style reference's codes, found on this thread (the network's): a request with codes as it is. */
    private PlannedRequest withStyleFound(PlannedRequest request, LoadedModel model) {
        PlannedRequest.StyleQuery q = request.style();
        return q == null ? request : request.withCodes(runner.findStyle(model, q.layout(), q.photo(), q.candidates(),
                q.seed(), q.n()));
    }

    /** The works are done with their model: their pass ran, or they are dropped unrun. */
    private static void closeLeases(List<Work> works) {
        works.forEach(w -> w.lease().close());
    }

    /** Completes the work's answered future as its answer's delivery completed. */
    static BiConsumer<Void, Throwable> complete(Work w) {
        return (v, e) -> {
            if (e == null) {
                w.answered().complete(null);
            } else {
                w.answered().completeExceptionally(e);
            }
        };
    }
}
