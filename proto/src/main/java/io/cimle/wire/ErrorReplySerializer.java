package io.cimle.wire;

import io.cimle.wire.v1.ErrorReply;

public class ErrorReplySerializer extends ProtobufSerializer<ErrorReply> {
}
