package io.cimle.wire;

import io.cimle.wire.v1.LayoutRequest;

public class LayoutRequestDeserializer extends ProtobufDeserializer<LayoutRequest> {
    public LayoutRequestDeserializer() {
        super(LayoutRequest.parser());
    }
}
