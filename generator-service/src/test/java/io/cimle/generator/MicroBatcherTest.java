package io.cimle.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.UnknownLabelPolicy;
import io.cimle.core.model.LatentCode;
import io.cimle.wire.v1.ImageFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching policy with the forward pass and the broker replaced by recorders (the Kafka path end
 * to end is GeneratorKafkaTest's): an idle generator runs a request alone and at once, requests
 * queued during a pass share the next one up to max-batch samples, passes never mix models, and
 * offers are refused while max-in-flight requests are unanswered.
 */
class MicroBatcherTest {
    private final List<List<String>> passes = new CopyOnWriteArrayList<>();
    private final Semaphore passesAllowed = new Semaphore(1 << 20);
    private final CountDownLatch firstPassStarted = new CountDownLatch(1);
    private final List<CompletableFuture<Void>> unacknowledged = new CopyOnWriteArrayList<>();
    private boolean holdReplies;
    private MicroBatcher batcher;
    private final LoadedModel modelA = new LoadedModel("1", null, null, 1, 0);
    private final LoadedModel modelB = new LoadedModel("2", null, null, 2, 0);

    private MicroBatcher batcher(int maxBatch, int maxInFlight) {
        MicroBatcher b = new MicroBatcher();
        b.settings = () -> serving(maxBatch, maxInFlight);
        b.metrics = new GeneratorMetrics();
        b.metrics.registry = new SimpleMeterRegistry();
        b.metrics.register();
        b.runner = new SampleRunner() {
            @Override
            public List<LatentCode> findStyle(LoadedModel model, ClassMap layout, RgbImage photo,
                                              int candidates, long seed, int n) {
                passes.add(List.of("style-search"));
                return Collections.nCopies(n, LatentCode.fromSeed(1, 1));
            }

            @Override
            public Result run(LoadedModel model, List<PlannedRequest> requests) {
                passes.add(requests.stream().map(PlannedRequest::requestId).toList());
                firstPassStarted.countDown();
                passesAllowed.acquireUninterruptibly();
                List<List<RgbImage>> images = new ArrayList<>();
                requests.forEach(r -> images.add(Collections.nCopies(r.size(), RgbImage.blank(1, 1))));
                return new Result(images, 1);
            }
        };
        batcher = b;
        return b;
    }

    @AfterEach
    void stop() {
        passesAllowed.release(1000);
        if (batcher != null) {
            batcher.stop(null);
        }
    }

    @Test
    void anIdleGeneratorRunsARequestAloneAndAtOnce() throws Exception {
        MicroBatcher b = batcher(16, 32);
        MicroBatcher.Work w = work("lone", 4, modelA);
        assertTrue(b.offer(w));
        w.answered().get(30, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("lone")), passes);
    }

    @Test
    void requestsQueuedDuringAPassShareTheNextUpToMaxBatchSamples() throws Exception {
        MicroBatcher b = batcher(16, 32);
        passesAllowed.drainPermits();
        List<MicroBatcher.Work> works = new ArrayList<>();
        works.add(work("r0", 4, modelA));
        assertTrue(b.offer(works.get(0)));
        assertTrue(firstPassStarted.await(30, TimeUnit.SECONDS));
        for (int i = 1; i <= 6; i++) { // 24 samples queue while r0 runs
            works.add(work("r" + i, 4, modelA));
            assertTrue(b.offer(works.get(i)));
        }
        passesAllowed.release(1000);
        for (MicroBatcher.Work w : works) {
            w.answered().get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(List.of("r0"), List.of("r1", "r2", "r3", "r4"), List.of("r5", "r6")), passes);
    }

    /** Offers the first work, the rest while its pass runs, then lets every pass run and waits for all answers. */
    private void runBehindTheFirst(MicroBatcher b, List<MicroBatcher.Work> works) throws Exception {
        passesAllowed.drainPermits();
        assertTrue(b.offer(works.get(0)));
        assertTrue(firstPassStarted.await(30, TimeUnit.SECONDS));
        for (int i = 1; i < works.size(); i++) {
            assertTrue(b.offer(works.get(i)));
        }
        passesAllowed.release(1000);
        for (MicroBatcher.Work w : works) {
            w.answered().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPassNeverMixesModels() throws Exception {
        MicroBatcher b = batcher(16, 32);
        List<MicroBatcher.Work> works = List.of(work("a0", 1, modelA), work("a1", 1, modelA), work("b0", 1, modelB),
                work("a2", 1, modelA));
        runBehindTheFirst(b, works);
        assertEquals(List.of(List.of("a0"), List.of("a1"), List.of("b0"), List.of("a2")), passes);
    }

    /** A style reference's search runs in the batcher, not while planning, and it is a pass of its own. */
    @Test
    void aStyleReferenceIsAPassOfItsOwnSearchThenSamples() throws Exception {
        MicroBatcher b = batcher(16, 32);
        List<MicroBatcher.Work> works = List.of(work("a0", 1, modelA), work("a1", 1, modelA),
                work("style", 0, modelA, new PlannedRequest.StyleQuery(null, null, 8, 1, 2)), work("a2", 1, modelA));
        runBehindTheFirst(b, works);
        assertEquals(List.of(List.of("a0"), List.of("a1"), List.of("style-search"), List.of("style"), List.of("a2")),
                passes);
    }

    @Test
    void offersAreRefusedWhileMaxInFlightRequestsAreUnanswered() throws Exception {
        MicroBatcher b = batcher(16, 2);
        holdReplies = true; // the broker has not acknowledged any reply yet
        assertTrue(b.offer(work("r0", 1, modelA)));
        assertTrue(b.offer(work("r1", 1, modelA)));
        MicroBatcher.Work third = work("r2", 1, modelA);
        assertFalse(b.offer(third), "a third request got in with two unanswered");
        assertFalse(b.awaitCapacity(300), "capacity reported with two unanswered");
        while (unacknowledged.isEmpty()) {
            Thread.sleep(10);
        }
        unacknowledged.get(0).complete(null); // one answer acknowledged: one more may come in
        assertTrue(b.awaitCapacity(30_000));
        assertTrue(b.offer(third));
        assertFalse(b.offer(work("r3", 1, modelA)), "the freed slot was given twice");
    }

    private MicroBatcher.Work work(String id, int samples, LoadedModel model) {
        return work(id, samples, model, null);
    }

    /** A request whose answer is acknowledged at once, or held while {@code holdReplies}. */
    private MicroBatcher.Work work(String id, int samples, LoadedModel model, PlannedRequest.StyleQuery style) {
        model.acquire();
        PlannedRequest r = new PlannedRequest(id, null, Collections.nCopies(style == null ? samples : 0,
                (LatentCode) null), null, ImageFormat.PNG, 90, true, System.currentTimeMillis(), style);
        return new MicroBatcher.Work(r, new ModelLease(model), outcome -> {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            if (holdReplies) {
                unacknowledged.add(ack);
            } else {
                ack.complete(null);
            }
            return ack;
        });
    }

    private static GeneratorSettings.Serving serving(int maxBatch, int maxInFlight) {
        return new GeneratorSettings.Serving() {
            public int maxSamples() { return 64; }
            public int maxInFlight() { return maxInFlight; }
            public int busyWaitMs() { return 0; }
            public int maxBatch() { return maxBatch; }
            public int maxStyleCandidates() { return 256; }
            public int maxLayoutBytes() { return 1 << 22; }
            public long maxLayoutPixels() { return 1 << 24; }
            public int maxLayoutSide() { return 8192; }
            public UnknownLabelPolicy unknownLabels() { return UnknownLabelPolicy.REJECT; }
            public int inlineLimitBytes() { return 1 << 20; }
            public int maxInlineCodeValues() { return 65536; }
            public GeneratorSettings.Requests requests() { return null; }
        };
    }
}
