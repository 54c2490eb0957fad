package io.cimle.trainer;

import io.cimle.core.data.Example;
import io.cimle.service.Backoff;
import io.cimle.service.Rejection;
import io.cimle.service.kafka.ConsumerLagProbe;
import io.cimle.service.kafka.DeadLetters;
import io.cimle.service.kafka.KafkaRecords;
import io.cimle.wire.WireFormat;
import io.cimle.wire.v1.DeadLetter;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.ErrorReply;
import io.cimle.wire.v1.LayoutImagePair;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Consumes layouts.training: each pair is validated and stored durably (keyed by id, so a replay
 * stores nothing twice) before the poll is acknowledged and its offsets committed. Invalid pairs go
 * to layouts.training.dlq with the reason; the consumer never stops on bad input. When storage
 * fails, the poll is not acknowledged: the records are consumed again after a restart.
 */
@ApplicationScoped
public class PairIngestor {
    private static final Logger LOG = Logger.getLogger(PairIngestor.class);

    @Inject
    TrainingSetup setup;
    @Inject
    TrainerMetrics metrics;
    @Inject
    KafkaClientService kafka;
    private ConsumerLagProbe lag;

    @Inject
    @Channel("pairs-dlq")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<DeadLetter> deadLetters;

    @Incoming("pairs")
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<CompletableFuture<Void>> dead = new ArrayList<>();
        try {
            for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
                ingest(record, dead);
            }
            CompletableFuture.allOf(dead.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.errorf(e, "storing training pairs failed; the poll is not committed and will be consumed again");
            return batch.nack(e);
        } catch (Exception e) {
            LOG.errorf(e, "dead letters of a poll were not acknowledged");
            return batch.nack(e);
        }
        if (lag == null) {
            lag = new ConsumerLagProbe(kafka, "pairs");
        }
        lag.probe(metrics::consumerLag);
        return batch.ack();
    }

    private void ingest(KafkaRecord<String, byte[]> record, List<CompletableFuture<Void>> dead) throws IOException {
        WireFormat.Parsed<LayoutImagePair> parsed = WireFormat.parse(LayoutImagePair.parser(), record.getPayload());
        if (!parsed.ok()) {
            dead.add(reject(record, record.getKey(), ErrorCode.UNPARSEABLE_RECORD, "not a LayoutImagePair: " + parsed.error()));
            return;
        }
        LayoutImagePair pair = parsed.message().get();
        Example example;
        try {
            example = setup.validator().validate(pair);
        } catch (Rejection e) {
            dead.add(reject(record, pair.getId(), e.code(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            dead.add(reject(record, pair.getId(), ErrorCode.INTERNAL, "validation failed: " + e));
            return;
        }
        // Storage down: keep this poll (and so its offsets) until the pair is durable. A nack would be
        // turned into an acknowledgement by the ignore failure strategy and lose the pair.
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        while (true) {
            try {
                if (setup.store().putIfAbsent(example)) {
                    metrics.pairIngested();
                } else {
                    metrics.pairDuplicate();
                }
                return;
            } catch (IOException | UncheckedIOException e) {
                metrics.storageError();
                long delay = backoff.nextDelayMs();
                LOG.warnf("storing pair %s failed (%s); retrying in %d ms, offsets are not committed meanwhile",
                        pair.getId(), e.getMessage(), delay);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for storage", interrupted);
                }
            }
        }
    }

    private CompletableFuture<Void> reject(KafkaRecord<String, byte[]> record, String id, ErrorCode code, String message) {
        metrics.pairRejected(code);
        LOG.debugf("rejected training pair %s: %s", id, message);
        ErrorReply error = ErrorReply.newBuilder().setRequestId(id == null ? "" : id).setCode(code).setMessage(message)
                .setSourceTopic(record.getTopic()).setSourcePartition(record.getPartition())
                .setSourceOffset(KafkaRecords.offsetOf(record)).setAtMs(System.currentTimeMillis()).build();
        byte[] key = record.getKey() == null ? null : record.getKey().getBytes(StandardCharsets.UTF_8);
        return deadLetters.sendMessage(KafkaRecords.keyed(id, DeadLetters.of(error, record.getPayload(), key)))
                .subscribeAsCompletionStage();
    }

}
