package io.cimle.core.data;

/** A photo that cannot be decoded within the limits; {@link #reason()} maps to a wire error code. */
public class ImageException extends RuntimeException {
    /** Why; maps to PHOTO_UNDECODABLE, LAYOUT_WRONG_SIZE-like bounds, PAYLOAD_TOO_LARGE. */
    public enum Reason { UNDECODABLE, WRONG_SIZE, TOO_LARGE }

    private final Reason reason;

    public ImageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
