package io.cimle.service;

import java.time.Duration;

/** Exponential backoff between retries: each delay doubles up to a cap, and a success starts over. */
public final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private long nextMs;

    public Backoff(Duration initial, Duration max) {
        this.initialMs = initial.toMillis();
        this.maxMs = max.toMillis();
        if (initialMs < 1 || maxMs < initialMs) {
            throw new IllegalArgumentException("backoff needs 1 ms <= initial <= max, got " + initial + ", " + max);
        }
        this.nextMs = initialMs;
    }

    /** The delay to wait now; the one after doubles (up to the cap). */
    public long nextDelayMs() {
        long delay = nextMs;
        nextMs = Math.min(nextMs * 2, maxMs);
        return delay;
    }

    /** Sleeps {@link #nextDelayMs()}. */
    public void sleep() throws InterruptedException {
        Thread.sleep(nextDelayMs());
    }

    /** After a success: the next failure waits the initial delay again. */
    public void reset() {
        nextMs = initialMs;
    }
}
