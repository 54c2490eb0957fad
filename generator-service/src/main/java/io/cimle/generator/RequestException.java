package io.cimle.generator;

import io.cimle.wire.v1.ErrorCode;

/** A request that cannot be served, with the machine-readable code its ErrorReply carries. */
public final class RequestException extends Exception {
    private final ErrorCode code;

    public RequestException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
