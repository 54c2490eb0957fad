package io.cimle.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.util.Optional;

/** Parsing that reports failure as a value, for consumers that must answer bad records. */
public final class WireFormat {
    private WireFormat() {
    }

    /** The parsed message, or the parser's reason when the bytes are not a valid message. */
    public record Parsed<T>(Optional<T> message, String error) {
        public boolean ok() {
            return message.isPresent();
        }
    }

    public static <T extends MessageLite> Parsed<T> parse(Parser<T> parser, byte[] bytes) {
        if (bytes == null) {
            return new Parsed<>(Optional.empty(), "record has no value (tombstone)");
        }
        try {
            return new Parsed<>(Optional.of(parser.parseFrom(bytes)), null);
        } catch (InvalidProtocolBufferException e) {
            return new Parsed<>(Optional.empty(), "not a valid message: " + e.getMessage());
        }
    }
}
