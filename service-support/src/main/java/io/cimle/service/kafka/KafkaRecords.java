package io.cimle.service.kafka;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Small pieces of SmallRye Kafka records both services need. */
public final class KafkaRecords {
    private KafkaRecords() {
    }

    /** The record's offset in its partition, or -1 when the metadata is missing. */
    public static long offsetOf(KafkaRecord<?, ?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getOffset()).orElse(-1L);
    }

    /** An outgoing message with this Kafka key ("" for none). */
    public static <T> Message<T> keyed(String key, T value) {
        return Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key == null ? "" : key).build());
    }
}
