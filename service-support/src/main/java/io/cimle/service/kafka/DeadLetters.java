package io.cimle.service.kafka;

import com.google.protobuf.ByteString;
import io.cimle.wire.v1.DeadLetter;
import io.cimle.wire.v1.ErrorReply;

/** A dead letter: the error plus as much of the original record as a dead-letter topic should hold. */
public final class DeadLetters {
    /** Originals above this are left out: the error still says where the record lies (topic, partition, offset). */
    public static final int MAX_ORIGINAL_VALUE_BYTES = 512 * 1024;
    public static final int MAX_ORIGINAL_KEY_BYTES = 4096;

    private DeadLetters() {
    }

    public static DeadLetter of(ErrorReply error, byte[] originalValue, byte[] originalKey) {
        DeadLetter.Builder dl = DeadLetter.newBuilder().setError(error);
        if (originalValue != null && originalValue.length <= MAX_ORIGINAL_VALUE_BYTES) {
            dl.setOriginalValue(ByteString.copyFrom(originalValue));
        }
        if (originalKey != null && originalKey.length <= MAX_ORIGINAL_KEY_BYTES) {
            dl.setOriginalKey(ByteString.copyFrom(originalKey));
        }
        return dl.build();
    }
}
