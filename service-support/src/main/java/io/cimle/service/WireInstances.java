package io.cimle.service;

import io.cimle.core.data.InstanceFormat;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.Layout;

/** A wire layout's optional instance map: its bytes and format, checked before anything decodes them. */
public final class WireInstances {
    private WireInstances() {
    }

    /** The instance map's PNG bytes, or null when the layout has none. */
    public static byte[] png(Layout layout, int maxBytes) throws Rejection {
        if (layout.getInstancePng().isEmpty()) {
            return null;
        }
        if (layout.getInstancePng().size() > maxBytes) {
            throw new Rejection(ErrorCode.PAYLOAD_TOO_LARGE, "layout.instance_png is " + layout.getInstancePng().size()
                    + " bytes; the limit is " + maxBytes);
        }
        return layout.getInstancePng().toByteArray();
    }

    public static InstanceFormat format(Layout layout) throws Rejection {
        return switch (layout.getInstanceEncoding()) {
            case INSTANCE_IDS -> InstanceFormat.INSTANCE_IDS;
            case CITYSCAPES_INSTANCE_IDS -> InstanceFormat.CITYSCAPES_INSTANCE_IDS;
            case UNRECOGNIZED -> throw new Rejection(ErrorCode.INSTANCE_MAP_INVALID, "layout.instance_encoding "
                    + layout.getInstanceEncodingValue() + " is not known to this service");
        };
    }
}
