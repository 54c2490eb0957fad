package io.cimle.trainer;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The switches the REST resource and the service's life set on the training loop (started, paused, a checkpoint
 * requested, closing) and the one monitor the loop idles on, so that a control or a leadership change wakes it.
 */
@ApplicationScoped
public class TrainingControls {
    private volatile boolean started;
    private volatile boolean paused;
    private volatile boolean closing;
    private final AtomicBoolean checkpointRequested = new AtomicBoolean();

    /** Whether training was started and is not paused. */
    boolean unpaused() {
        return started && !paused;
    }

    /** Whether training may run as far as the controls go: started, not paused, not closing. */
    boolean running() {
        return unpaused() && !closing;
    }

    boolean closing() {
        return closing;
    }

    /** Set by the trainer's policy to write a checkpoint after the current step; cleared when it did. */
    AtomicBoolean checkpointRequested() {
        return checkpointRequested;
    }

    /** The service's configuration: whether training starts without a REST call. */
    void autoStart(boolean start) {
        started = start;
    }

    /** The service is going down: the loop ends after its current step. */
    void close() {
        closing = true;
        wake();
    }

    public void start() {
        started = true;
        paused = false;
        wake();
    }

    public void pause() {
        paused = true;
    }

    /**
     * Pauses after the current step, first writing a checkpoint of it (if training is running), so a
     * generator can serve exactly what was trained so far. Returns the version when written in time.
     */
    public String pauseWithCheckpoint(TrainingState state, Duration timeout) throws InterruptedException {
        String before = state.version();
        boolean running = state.phase() == TrainingState.Phase.TRAINING;
        if (running) {
            checkpointRequested.set(true);
        }
        paused = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running && state.version().equals(before) && System.nanoTime() < deadline
                && state.phase() == TrainingState.Phase.TRAINING) {
            Thread.sleep(50);
        }
        return state.version();
    }

    public void resume() {
        paused = false;
        started = true;
        wake();
    }

    /** Wakes the loop from {@link #idle}. */
    synchronized void wake() {
        notifyAll();
    }

    /** Waits up to {@code ms} or until woken; an interrupt closes. */
    synchronized void idle(long ms) {
        try {
            wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }
}
