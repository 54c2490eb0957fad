package io.cimle.wire;

import io.cimle.wire.v1.LayoutImagePair;

public class LayoutImagePairSerializer extends ProtobufSerializer<LayoutImagePair> {
}
