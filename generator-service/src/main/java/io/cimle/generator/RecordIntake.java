package io.cimle.generator;

import io.cimle.wire.WireFormat;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.LayoutRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Takes one polled record in: tracks its offset, parses and admits it, and hands the planned request to the
 * batcher (or holds it); a record that cannot be served is answered with its error at once. When the answer is
 * acknowledged the offset is finished, so the commit may pass it.
 */
final class RecordIntake {
    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);

    private final RequestProcessor processor;
    private final Replies replies;
    private final OffsetTracker offsets;
    private final HeldRequests held;

    RecordIntake(RequestProcessor processor, Replies replies, OffsetTracker offsets, HeldRequests held) {
        this.processor = processor;
        this.replies = replies;
        this.offsets = offsets;
        this.held = held;
    }

    void accept(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        long offset = record.offset();
        offsets.received(tp, offset, System.currentTimeMillis());
        long receivedAtMs = System.currentTimeMillis();
        MicroBatcher.Work work = null;
        CompletableFuture<Void> answered;
        WireFormat.Parsed<LayoutRequest> parsed = WireFormat.parse(LayoutRequest.parser(), record.value());
        if (!parsed.ok()) {
            answered = replies.to(record, record.key()).deliver(Outcome.failed(ErrorCode.UNPARSEABLE_RECORD,
                    "the record is not a LayoutRequest: " + parsed.error()));
        } else {
            LayoutRequest request = parsed.message().get();
            Answer answer = replies.to(record, request.getRequestId());
            Admission admission = processor.admit(request, receivedAtMs);
            if (admission instanceof Admission.Ready ready) {
                work = new MicroBatcher.Work(ready.request(), ready.lease(), answer);
                answered = work.answered();
            } else {
                answered = answer.deliver(((Admission.Refused) admission).failure());
            }
        }
        answered.whenComplete((v, e) -> {
            if (e == null) {
                offsets.finished(tp, offset);
            } else {
                // Never finished: the partition's commits stop here, liveness turns DOWN after
                // unanswered-max-age, and a restart redelivers the record.
                LOG.errorf(e, "the answer to %s-%d@%d was not acknowledged; left uncommitted", tp.topic(),
                        tp.partition(), offset);
            }
        });
        if (work != null) {
            held.offer(work, record);
        }
    }
}
