package io.cimle.core.data;

/** A bad pair under {@link BadPairPolicy#FAIL}, or a data set that cannot be listed at all. */
public class DatasetException extends RuntimeException {
    private final DatasetReport.Skipped pair;

    public DatasetException(DatasetReport.Skipped pair, Throwable cause) {
        super("bad pair " + pair, cause);
        this.pair = pair;
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
        this.pair = null;
    }

    /** The offending pair, or null when the problem is not tied to one. */
    public DatasetReport.Skipped pair() {
        return pair;
    }
}
