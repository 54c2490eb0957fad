package io.cimle.wire;

import io.cimle.wire.v1.SampleReply;

public class SampleReplySerializer extends ProtobufSerializer<SampleReply> {
}
