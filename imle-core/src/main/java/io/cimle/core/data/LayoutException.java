package io.cimle.core.data;

/** A layout that cannot be turned into a {@link ClassMap}; {@link #reason()} maps to a wire error code. */
public class LayoutException extends RuntimeException {
    /**
     * Why; maps to LAYOUT_UNDECODABLE, LAYOUT_WRONG_SIZE, LAYOUT_UNKNOWN_CLASS, PAYLOAD_TOO_LARGE and, for an
     * instance map that does not decode or contradicts its layout, INSTANCE_MAP_INVALID.
     */
    public enum Reason { UNDECODABLE, WRONG_SIZE, UNKNOWN_CLASS, TOO_LARGE, INSTANCES_INVALID }

    private final Reason reason;

    public LayoutException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LayoutException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
