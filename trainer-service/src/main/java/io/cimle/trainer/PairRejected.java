package io.cimle.trainer;

import io.cimle.wire.v1.ErrorCode;

/** A training pair that cannot be stored, with the code its dead letter carries. */
public final class PairRejected extends Exception {
    private final ErrorCode code;

    public PairRejected(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
