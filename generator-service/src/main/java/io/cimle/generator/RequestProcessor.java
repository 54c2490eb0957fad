package io.cimle.generator;

import io.cimle.core.data.RgbImage;
import io.cimle.wire.WireFormat;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.LayoutRequest;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import io.cimle.service.kafka.ConsumerLagProbe;
import io.cimle.service.kafka.KafkaRecords;

/**
 * Consumes layouts.requests: parses and plans each record on the connector's worker thread and hands
 * it to the {@link MicroBatcher}, which batches across polls at the model's pace. Every record is
 * answered (samples or an error), and a poll is acknowledged only when every answer to it is
 * acknowledged by the broker, so offsets are committed after the work is durable (the throttled
 * commit strategy commits per partition up to the oldest unacknowledged record, so polls may finish
 * out of order). In-flight work is bounded by {@code max-in-flight}: {@link MicroBatcher#submit} blocks.
 */
@ApplicationScoped
public class RequestProcessor {
    private static final Logger LOG = Logger.getLogger(RequestProcessor.class);
    private static final long SEND_TIMEOUT_S = 120;
    /** The lag gauge is refreshed at most this often: the probe is a round trip to the polling thread. */
    private static final long LAG_PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    @Inject
    ModelRegistry models;
    @Inject
    RequestPlanner planner;
    @Inject
    MicroBatcher batcher;
    @Inject
    Replies replies;
    @Inject
    KafkaClientService kafka;
    @Inject
    GeneratorMetrics metrics;
    private ConsumerLagProbe lag;
    private long lastLagProbeNanos;

    @Incoming("requests")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        List<CompletableFuture<Void>> answers = new ArrayList<>(records.size());
        try {
            for (KafkaRecord<String, byte[]> record : records) {
                MicroBatcher.Work work = accept(record, answers);
                if (work != null) {
                    batcher.submit(work);
                    answers.add(work.answered());
                }
            }
        } catch (InterruptedException e) {
            // Shutting down: the poll stays unacknowledged, so its records are redelivered, none lost.
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).orTimeout(SEND_TIMEOUT_S, TimeUnit.SECONDS)
                .whenComplete((v, e) -> {
                    if (e == null) {
                        batch.ack();
                    } else {
                        // Never acknowledged (a nack would commit it under the ignore strategy): the
                        // partition's commits stop here, the channel turns unhealthy after
                        // throttled.unprocessed-record-max-age.ms, and a restart redelivers the records.
                        LOG.errorf(e, "answers of a poll of %d requests were not acknowledged; left uncommitted",
                                records.size());
                    }
                });
        probeLag();
        // The next poll is taken now: it queues behind this one in the batcher, which is how requests
        // arriving while a pass runs share the next pass.
        return CompletableFuture.completedFuture(null);
    }

    private void probeLag() {
        long now = System.nanoTime();
        if (lastLagProbeNanos != 0 && now - lastLagProbeNanos < LAG_PROBE_INTERVAL_NANOS) {
            return;
        }
        lastLagProbeNanos = now;
        if (lag == null) {
            lag = new ConsumerLagProbe(kafka, "requests");
        }
        lag.probe(metrics::consumerLag);
    }

    /** Parses and plans one record; answers it with an error and returns null when it cannot run. */
    private MicroBatcher.Work accept(KafkaRecord<String, byte[]> record, List<CompletableFuture<Void>> sends) {
        long received = System.currentTimeMillis();
        WireFormat.Parsed<LayoutRequest> parsed = WireFormat.parse(LayoutRequest.parser(), record.getPayload());
        if (!parsed.ok()) {
            sends.add(replies.failed(record, record.getKey(), ErrorCode.UNPARSEABLE_RECORD, "the record is not a LayoutRequest: " + parsed.error()));
            return null;
        }
        LayoutRequest request = parsed.message().get();
        Optional<LoadedModel> model;
        try {
            model = models.acquire(request.getModelName(), request.getModelVersion());
        } catch (ModelRegistry.UnknownVersionException e) {
            sends.add(replies.failed(record, request.getRequestId(), ErrorCode.UNKNOWN_MODEL_VERSION, e.getMessage()));
            return null;
        } catch (Exception e) {
            sends.add(replies.failed(record, request.getRequestId(), ErrorCode.INTERNAL, "loading the model failed: " + e.getMessage()));
            return null;
        }
        if (model.isEmpty()) {
            sends.add(replies.failed(record, request.getRequestId(), ErrorCode.NO_MODEL_LOADED,
                    "no model is loaded yet: wait for the trainer's first checkpoint"));
            return null;
        }
        try {
            return new MicroBatcher.Work(record, planner.plan(request, model.get(), received), model.get());
        } catch (RequestException e) {
            model.get().release();
            sends.add(replies.failed(record, request.getRequestId(), e.code(), e.getMessage()));
            return null;
        } catch (RuntimeException e) {
            model.get().release();
            LOG.errorf(e, "planning request %s failed", request.getRequestId());
            sends.add(replies.failed(record, request.getRequestId(), ErrorCode.INTERNAL, "internal error: " + e));
            return null;
        }
    }
}
