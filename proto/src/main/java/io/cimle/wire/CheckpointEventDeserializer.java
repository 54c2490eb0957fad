package io.cimle.wire;

import io.cimle.wire.v1.CheckpointEvent;

public class CheckpointEventDeserializer extends ProtobufDeserializer<CheckpointEvent> {
    public CheckpointEventDeserializer() {
        super(CheckpointEvent.parser());
    }
}
