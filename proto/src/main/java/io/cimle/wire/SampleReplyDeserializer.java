package io.cimle.wire;

import io.cimle.wire.v1.SampleReply;

public class SampleReplyDeserializer extends ProtobufDeserializer<SampleReply> {
    public SampleReplyDeserializer() {
        super(SampleReply.parser());
    }
}
