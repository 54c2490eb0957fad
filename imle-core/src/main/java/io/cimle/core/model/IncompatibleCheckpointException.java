package io.cimle.core.model;

/** A checkpoint that cannot be used here: another architecture, a newer format, or damaged content. */
public final class IncompatibleCheckpointException extends IllegalArgumentException {
    public IncompatibleCheckpointException(String message) {
        super(message);
    }

    public IncompatibleCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
