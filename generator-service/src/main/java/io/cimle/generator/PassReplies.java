package io.cimle.generator;

import io.cimle.core.data.RgbImage;
import io.cimle.wire.v1.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * A pass's answers, made while the next pass runs (on a GPU the forward leaves the CPU free for PNG
 * encoding): its samples encoded on all cores, then each request's {@link Outcome} delivered to its
 * {@link Answer} from one thread, so each request's samples go out in order. {@link MicroBatcher} runs the
 * passes.
 */
final class PassReplies {
    private static final Logger LOG = Logger.getLogger(PassReplies.class);

    private final GeneratorMetrics metrics;
    /** The one thread that encodes (with {@link #encoders}) and delivers the answers. */
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(AllCores.daemons("cimle-replies-"));
    /** PNG encoders beside the publishing thread, one per other core. */
    private final AllCores encoders = new AllCores("cimle-encode-");

    PassReplies(GeneratorMetrics metrics) {
        this.metrics = metrics;
    }

    /** Queues the pass's answers (the works' leases are closed already); while stopping, they stay unanswered. */
    void publish(List<MicroBatcher.Work> pass, List<PlannedRequest> requests, SampleRunner.Result result, String modelVersion,
            long number, long startedAtMs) {
        try {
            publisher.execute(() -> encodeAndDeliver(pass, requests, result, modelVersion, number, startedAtMs));
        } catch (RejectedExecutionException e) {
            // Stopping: these stay unanswered and unacknowledged, so they are redelivered.
        }
    }

    void shutdown() {
        publisher.shutdown();
        encoders.shutdown();
    }

    private void encodeAndDeliver(List<MicroBatcher.Work> pass, List<PlannedRequest> requests, SampleRunner.Result result, String modelVersion,
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
            MicroBatcher.Work w = pass.get(r);
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
                    .whenComplete(MicroBatcher.complete(w));
        }
    }
}
