package io.cimle.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Parses one protobuf message type. Subclassed per type so frameworks see the type.
 * Services that must answer unparseable records (rather than fail the consumer) read raw bytes and
 * call {@link WireFormat#parse} themselves.
 */
public class ProtobufDeserializer<T extends MessageLite> implements Deserializer<T> {
    private final Parser<T> parser;

    protected ProtobufDeserializer(Parser<T> parser) {
        this.parser = parser;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return parser.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new SerializationException("record on " + topic + " is not a valid message: " + e.getMessage(), e);
        }
    }
}
