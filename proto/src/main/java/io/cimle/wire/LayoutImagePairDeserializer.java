package io.cimle.wire;

import io.cimle.wire.v1.LayoutImagePair;

public class LayoutImagePairDeserializer extends ProtobufDeserializer<LayoutImagePair> {
    public LayoutImagePairDeserializer() {
        super(LayoutImagePair.parser());
    }
}
