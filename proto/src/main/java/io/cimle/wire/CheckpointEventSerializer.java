package io.cimle.wire;

import io.cimle.wire.v1.CheckpointEvent;

public class CheckpointEventSerializer extends ProtobufSerializer<CheckpointEvent> {
}
