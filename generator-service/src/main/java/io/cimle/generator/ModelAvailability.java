package io.cimle.generator;

/**
 * Whether a request may be answered now, from what this generator knows of its model: a request
 * must never be refused with NO_MODEL_LOADED while the store holds a model (it waits in Kafka until
 * the model is loaded), and is refused at once when the store holds none.
 *
 * <p>States: {@code CHECKING} until the store has been read once (or while it cannot be read),
 * {@code LOADING} once a version is known to exist and none is loaded, {@code NONE_STORED} when the
 * store held no checkpoint at the last look, {@code SERVING} once a version is loaded (and from then
 * on: a later switch keeps the previous version serving until the next is in). Thread-safe; waiters
 * are woken on every change.
 */
final class ModelAvailability {
    enum State { CHECKING, LOADING, NONE_STORED, SERVING }

    private State state = State.CHECKING;
    /** {@link System#nanoTime()} when the look that found the store empty began. */
    private long noneSeenAtNanos;

    synchronized State state() {
        return state;
    }

    /** True when requests may be answered: a model is served, or the store held none at the last look. */
    synchronized boolean answerable() {
        return state == State.SERVING || state == State.NONE_STORED;
    }

    /**
     * True when the store was seen empty by a look that began before {@code nanos}: a request that
     * arrived after then must look again before it is refused (a model may have been published since).
     */
    synchronized boolean emptyOnlyBefore(long nanos) {
        return state == State.NONE_STORED && noneSeenAtNanos - nanos < 0;
    }

    synchronized void serving() {
        move(State.SERVING);
    }

    /** A version exists (read from the store, or announced): until it is loaded, requests wait. */
    synchronized void loading() {
        if (state != State.SERVING) {
            move(State.LOADING);
        }
    }

    /** A look at the store that began at {@code lookNanos} ({@link System#nanoTime()}) found no checkpoint. */
    synchronized void noneStored(long lookNanos) {
        if (state != State.SERVING) {
            noneSeenAtNanos = lookNanos;
            move(State.NONE_STORED);
        }
    }

    /** The store could not be read, or the version found there failed to load: whether one exists is unknown again. */
    synchronized void unknown() {
        if (state != State.SERVING) {
            move(State.CHECKING);
        }
    }

    /** Waits up to {@code ms} for requests to become answerable; returns whether they are. */
    synchronized boolean await(long ms) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!answerable()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private void move(State next) {
        state = next;
        notifyAll();
    }
}
