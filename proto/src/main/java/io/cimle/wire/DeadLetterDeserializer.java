package io.cimle.wire;

import io.cimle.wire.v1.DeadLetter;

public class DeadLetterDeserializer extends ProtobufDeserializer<DeadLetter> {
    public DeadLetterDeserializer() {
        super(DeadLetter.parser());
    }
}
