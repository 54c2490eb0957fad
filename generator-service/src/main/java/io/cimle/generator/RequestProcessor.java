package io.cimle.generator;

import io.cimle.wire.WireFormat;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.LayoutRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Turns one layouts.requests record into work for the {@link MicroBatcher}: parses it, finds its model
 * and plans its codes. A record that cannot run is answered here (an error reply and a dead letter),
 * so every record is answered one way or the other.
 */
@ApplicationScoped
public class RequestProcessor {
    private static final Logger LOG = Logger.getLogger(RequestProcessor.class);

    @Inject
    ModelRegistry models;
    @Inject
    RequestPlanner planner;
    @Inject
    Replies replies;

    /**
     * Parses and plans one record; when it cannot run, answers it with an error, adds that answer to
     * {@code sends} and returns null.
     */
    public MicroBatcher.Work accept(ConsumerRecord<String, byte[]> record, List<CompletableFuture<Void>> sends) {
        long received = System.currentTimeMillis();
        WireFormat.Parsed<LayoutRequest> parsed = WireFormat.parse(LayoutRequest.parser(), record.value());
        if (!parsed.ok()) {
            sends.add(replies.failed(record, record.key(), ErrorCode.UNPARSEABLE_RECORD, "the record is not a LayoutRequest: " + parsed.error()));
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
