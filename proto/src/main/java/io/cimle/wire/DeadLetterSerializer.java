package io.cimle.wire;

import io.cimle.wire.v1.DeadLetter;

public class DeadLetterSerializer extends ProtobufSerializer<DeadLetter> {
}
