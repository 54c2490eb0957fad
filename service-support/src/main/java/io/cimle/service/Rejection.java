package io.cimle.service;

import io.cimle.core.data.ImageException;
import io.cimle.core.data.LayoutException;
import io.cimle.wire.v1.ErrorCode;

/**
 * Input a service cannot take (a generator's request, a trainer's pair), with the machine-readable
 * {@link ErrorCode} its error reply or dead letter carries and a sentence naming the problem.
 */
public final class Rejection extends Exception {
    private final ErrorCode code;

    public Rejection(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** A layout PNG (or its instance map) that did not decode, coded by why. */
    public static Rejection of(LayoutException e, String message) {
        return new Rejection(switch (e.reason()) {
            case UNDECODABLE -> ErrorCode.LAYOUT_UNDECODABLE;
            case WRONG_SIZE -> ErrorCode.LAYOUT_WRONG_SIZE;
            case UNKNOWN_CLASS -> ErrorCode.LAYOUT_UNKNOWN_CLASS;
            case TOO_LARGE -> ErrorCode.PAYLOAD_TOO_LARGE;
            case INSTANCES_INVALID -> ErrorCode.INSTANCE_MAP_INVALID;
        }, message);
    }

    /** A photo that did not decode, coded by why. */
    public static Rejection of(ImageException e, String message) {
        return new Rejection(e.reason() == ImageException.Reason.TOO_LARGE ? ErrorCode.PAYLOAD_TOO_LARGE
                : ErrorCode.PHOTO_UNDECODABLE, message);
    }
}
