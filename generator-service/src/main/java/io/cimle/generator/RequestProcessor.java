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
 * Consumes layouts.requests one poll at a time (a poll is the micro-batch: requests that arrived
 * together share forward passes), answers every record (samples or an error), and acknowledges the
 * poll only when every answer is acknowledged by the broker, so offsets are committed after the work
 * is durable. The next poll waits for this one: in-flight work is bounded by max.poll.records.
 */
@ApplicationScoped
public class RequestProcessor {
    private static final Logger LOG = Logger.getLogger(RequestProcessor.class);
    private static final long SEND_TIMEOUT_S = 120;

    @Inject
    ModelRegistry models;
    @Inject
    RequestPlanner planner;
    @Inject
    SampleRunner runner;
    @Inject
    Replies replies;
    @Inject
    GeneratorMetrics metrics;
    @Inject
    KafkaClientService kafka;
    private ConsumerLagProbe lag;

    @Incoming("requests")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        metrics.inFlight(records.size());
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        Map<LoadedModel, List<Work>> byModel = new IdentityHashMap<>();
        try {
            for (KafkaRecord<String, byte[]> record : records) {
                Work work = accept(record, sends);
                if (work != null) {
                    byModel.computeIfAbsent(work.model, m -> new ArrayList<>()).add(work);
                }
            }
            for (Map.Entry<LoadedModel, List<Work>> group : byModel.entrySet()) {
                generate(group.getKey(), group.getValue(), sends);
            }
        } finally {
            byModel.keySet().forEach(LoadedModel::release);
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            metrics.inFlight(-records.size());
            LOG.errorf(e, "answers of a batch of %d requests were not acknowledged; the batch will be redelivered",
                    records.size());
            return batch.nack(e);
        }
        metrics.inFlight(-records.size());
        probeLag();
        return batch.ack();
    }

    private void probeLag() {
        if (lag == null) {
            lag = new ConsumerLagProbe(kafka, "requests");
        }
        lag.probe(metrics::consumerLag);
    }

    private record Work(KafkaRecord<String, byte[]> record, PlannedRequest request, LoadedModel model) {
    }

    /** Parses and plans one record; answers it with an error and returns null when it cannot run. */
    private Work accept(KafkaRecord<String, byte[]> record, List<CompletableFuture<Void>> sends) {
        long received = System.currentTimeMillis();
        WireFormat.Parsed<LayoutRequest> parsed = WireFormat.parse(LayoutRequest.parser(), record.getPayload());
        if (!parsed.ok()) {
            fail(record, record.getKey(), ErrorCode.UNPARSEABLE_RECORD, "the record is not a LayoutRequest: " + parsed.error(), sends);
            return null;
        }
        LayoutRequest request = parsed.message().get();
        Optional<LoadedModel> model;
        try {
            model = models.acquire(request.getModelName(), request.getModelVersion());
        } catch (ModelRegistry.UnknownVersionException e) {
            fail(record, request.getRequestId(), ErrorCode.UNKNOWN_MODEL_VERSION, e.getMessage(), sends);
            return null;
        } catch (Exception e) {
            fail(record, request.getRequestId(), ErrorCode.INTERNAL, "loading the model failed: " + e.getMessage(), sends);
            return null;
        }
        if (model.isEmpty()) {
            fail(record, request.getRequestId(), ErrorCode.NO_MODEL_LOADED,
                    "no model is loaded yet: wait for the trainer's first checkpoint", sends);
            return null;
        }
        try {
            return new Work(record, planner.plan(request, model.get(), received), model.get());
        } catch (RequestException e) {
            model.get().release();
            fail(record, request.getRequestId(), e.code(), e.getMessage(), sends);
            return null;
        } catch (RuntimeException e) {
            model.get().release();
            LOG.errorf(e, "planning request %s failed", request.getRequestId());
            fail(record, request.getRequestId(), ErrorCode.INTERNAL, "internal error: " + e, sends);
            return null;
        }
    }

    private void generate(LoadedModel model, List<Work> works, List<CompletableFuture<Void>> sends) {
        // Each Work holds one reference; the group holds one more, released by the caller.
        List<PlannedRequest> requests = works.stream().map(Work::request).toList();
        try {
            SampleRunner.Result result = runner.run(model, requests);
            for (int r = 0; r < works.size(); r++) {
                PlannedRequest request = requests.get(r);
                List<RgbImage> images = result.images().get(r);
                List<CompletableFuture<Void>> mine = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) {
                    mine.add(replies.sample(request, i, images.get(i), request.codes().get(i), model.version(), result.modelMs()));
                }
                long start = request.receivedAtMs();
                CompletableFuture<Void> all = CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new))
                        .thenRun(() -> metrics.requestOk((System.currentTimeMillis() - start) * 1_000_000L));
                sends.add(all);
            }
        } catch (Exception e) {
            LOG.errorf(e, "generating %d requests failed", works.size());
            for (Work w : works) {
                fail(w.record, w.request.requestId(), ErrorCode.INTERNAL, "generation failed: " + e, sends);
            }
        } finally {
            for (int i = 1; i < works.size(); i++) {
                model.release();
            }
        }
    }

    private void fail(KafkaRecord<String, byte[]> record, String requestId, ErrorCode code, String message,
            List<CompletableFuture<Void>> sends) {
        metrics.requestFailed(code);
        LOG.debugf("request %s: %s %s", requestId, code, message);
        byte[] key = record.getKey() == null ? null : record.getKey().getBytes(StandardCharsets.UTF_8);
        sends.add(replies.error(requestId, code, message, record.getTopic(), record.getPartition(), KafkaRecords.offsetOf(record), key,
                record.getPayload()));
    }

}
