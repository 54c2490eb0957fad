package io.cimle.generator;

import static io.cimle.service.kafka.KafkaRecords.keyed;

import com.google.protobuf.ByteString;
import io.cimle.core.model.LatentCode;
import io.cimle.core.storage.ObjectStore;
import io.cimle.service.kafka.ChannelProducer;
import io.cimle.service.kafka.DeadLetters;
import io.cimle.service.model.ModelSettings;
import io.cimle.wire.v1.DeadLetter;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.ErrorReply;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.ImageFormat;
import io.cimle.wire.v1.SampleReply;
import io.cimle.wire.v1.Timings;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes what the generator answers over Kafka: samples and errors on samples.generated (keyed by
 * request id) and dead letters. Each send returns a future completed when the broker acknowledged the
 * record, so the consumer commits its input only after its answers are durable. Samples and errors leave
 * through one producer, the samples channel's own ({@link ChannelProducer}); dead letters through theirs.
 */
@ApplicationScoped
public class Replies {
    private static final Logger LOG = Logger.getLogger(Replies.class);
    /** Unused for sending (see {@link #direct}), but SmallRye creates the channel's producer only for an emitter. */
    @Inject
    @Channel("samples")
    MutinyEmitter<SampleReply> samplesChannel;

    @Inject
    @Channel("requests-dlq")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<DeadLetter> deadLetters;

    @Inject
    GeneratorSettings settings;
    @Inject
    ModelSettings model;
    @Inject
    ObjectStore store;
    @Inject
    GeneratorMetrics metrics;
    @Inject
    KafkaClientService kafka;
    private ChannelProducer<String, SampleReply> direct;

    @PostConstruct
    void init() {
        direct = new ChannelProducer<>(kafka, "samples");
    }

    /**
     * The Kafka answer to {@code record}: samples one record each, an error as an error reply and a dead letter;
     * durable once the broker acknowledged every record.
     */
    public Answer to(ConsumerRecord<String, byte[]> record, String requestId) {
        return outcome -> outcome instanceof Outcome.Failed f ? failed(record, requestId, f.code(), f.message())
                : samples((Outcome.Samples) outcome);
    }

    private CompletableFuture<Void> samples(Outcome.Samples s) {
        PlannedRequest request = s.request();
        List<CompletableFuture<Void>> sends = new ArrayList<>(request.size());
        for (int i = 0; i < request.size(); i++) {
            try {
                sends.add(sample(s, i));
            } catch (IOException | RuntimeException e) {
                sends.add(CompletableFuture.failedFuture(e));
            }
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    /** Publishes one encoded sample (claim check above the inline limit); the future completes on the broker's ack. */
    private CompletableFuture<Void> sample(Outcome.Samples samples, int index) throws IOException {
        PlannedRequest request = samples.request();
        EncodedImage image = samples.images().get(index);
        LatentCode code = request.codes().get(index);
        String modelVersion = samples.modelVersion();
        long modelMs = samples.modelMs();
        long passStartedAtMs = samples.passStartedAtMs();
        byte[] encoded = image.bytes();
        long encodeMs = image.encodeMs();
        GeneratedSample.Builder s = GeneratedSample.newBuilder().setRequestId(request.requestId()).setIndex(index)
                .setTotal(request.size()).setFormat(request.format()).setWidth(image.width()).setHeight(image.height())
                .setModelVersion(modelVersion).setModelName(model.name());
        if (encoded.length > settings.generator().inlineLimitBytes()) {
            // Claim check: the record stays small, the image waits in object storage.
            String key = "samples/" + safe(request.requestId()) + "/" + index
                    + (request.format() == ImageFormat.JPEG ? ".jpg" : ".png");
            store.put(key, encoded);
            s.setImageUri(store.uri(key));
        } else {
            s.setImage(ByteString.copyFrom(encoded));
        }
        if (!request.omitCodes()) {
            s.setCode(WireCodes.toWire(code, settings.generator().maxInlineCodeValues()));
        }
        if (request.interpolationTs() != null) {
            s.setInterpolationT(request.interpolationTs()[index]);
        }
        long now = System.currentTimeMillis();
        s.setTimings(Timings.newBuilder().setQueueMs(Math.max(0, passStartedAtMs - request.receivedAtMs()))
                .setModelMs(modelMs).setEncodeMs(encodeMs)
                .setReceivedAtMs(request.receivedAtMs()).setPublishedAtMs(now).setPass(samples.pass()));
        return direct.send(request.requestId(), SampleReply.newBuilder().setSample(s).build());
    }

    /** Answers a record that cannot be served with an error reply and a dead letter, and counts it. */
    private CompletableFuture<Void> failed(ConsumerRecord<String, byte[]> record, String requestId, ErrorCode code,
            String message) {
        metrics.requestFailed(code);
        LOG.debugf("request %s: %s %s", requestId, code, message);
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        return error(requestId, code, message, record.topic(), record.partition(), record.offset(), key, record.value());
    }

    private CompletableFuture<Void> error(String requestId, ErrorCode code, String message, String topic, int partition,
            long offset, byte[] originalKey, byte[] originalValue) {
        ErrorReply error = ErrorReply.newBuilder().setRequestId(requestId == null ? "" : requestId).setCode(code)
                .setMessage(message == null ? code.name() : message).setSourceTopic(topic == null ? "" : topic)
                .setSourcePartition(partition).setSourceOffset(offset).setAtMs(System.currentTimeMillis()).build();
        CompletableFuture<Void> reply = direct.send(requestId == null ? "" : requestId,
                SampleReply.newBuilder().setError(error).build());
        CompletableFuture<Void> dead = deadLetters.sendMessage(keyed(requestId, DeadLetters.of(error, originalValue,
                originalKey))).subscribeAsCompletionStage();
        return CompletableFuture.allOf(reply, dead);
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
