package io.cimle.wire;

import io.cimle.wire.v1.LayoutRequest;

public class LayoutRequestSerializer extends ProtobufSerializer<LayoutRequest> {
}
