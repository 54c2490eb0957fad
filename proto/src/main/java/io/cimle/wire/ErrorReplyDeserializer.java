package io.cimle.wire;

import io.cimle.wire.v1.ErrorReply;

public class ErrorReplyDeserializer extends ProtobufDeserializer<ErrorReply> {
    public ErrorReplyDeserializer() {
        super(ErrorReply.parser());
    }
}
