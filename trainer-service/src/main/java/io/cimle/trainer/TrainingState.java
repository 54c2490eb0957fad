package io.cimle.trainer;

import io.cimle.core.training.TrainingProgress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the training loop is doing and has done, as /api/trainer/status and the logs tell it: the phase, the last
 * failure, the last step's loss and progress, the last epoch's code spread, the latest checkpoint's version, the
 * data set's size and the leadership term published under. Written by the loop, its listener and the uploads;
 * read by the status and the controls.
 */
@ApplicationScoped
public class TrainingState {
    /**
     * What the loop is doing, for /api/trainer/status and the logs. FENCED: a newer leadership term exists
     * (another replica leads since this one stalled past its lease), so this replica publishes nothing
     * and waits until it wins the lease again (without leader election: for good, the newer trainer trains).
     */
    public enum Phase { STANDBY, WAITING_FOR_DATA, TRAINING, PAUSED, DONE, FAILED, FENCED }

    /** Prefix of a failure that storage caused and the next successful upload clears. */
    static final String STORAGE = "storage: ";

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STANDBY);
    private volatile String failure = "";
    private volatile double lastLoss = Double.NaN;
    private volatile Double codeSpread; // the last epoch's, null before the first
    private volatile TrainingProgress progress;
    private volatile String version = "";
    private volatile long datasetSize;
    /** The leadership term the current trainer publishes under (claimed when it started); 0 before. */
    private volatile long term;

    public Phase phase() {
        return phase.get();
    }

    void phase(Phase now) {
        phase.set(now);
    }

    public String failure() {
        return failure;
    }

    void failure(String message) {
        failure = message;
    }

    /** A storage error: the loop retries, and the status says why it waits. */
    void storageFailure(String message) {
        failure = STORAGE + message;
    }

    /** A checkpoint reached storage: a storage failure is over (other failures stay). */
    void storageRecovered() {
        if (failure.startsWith(STORAGE)) {
            failure = "";
        }
    }

    /** The run stopped for good with {@code message}. */
    void failed(String message) {
        failure = message;
        phase.set(Phase.FAILED);
    }

    public double lastLoss() {
        return lastLoss;
    }

    /** Where training stands after a step. */
    void stepped(TrainingProgress now, double loss) {
        lastLoss = loss;
        progress = now;
    }

    public TrainingProgress progress() {
        return progress;
    }

    public Double codeSpread() {
        return codeSpread;
    }

    void codeSpread(double spread) {
        codeSpread = spread;
    }

    public String version() {
        return version;
    }

    void version(String latest) {
        version = latest;
    }

    public long datasetSize() {
        return datasetSize;
    }

    void datasetSize(long size) {
        datasetSize = size;
    }

    public long term() {
        return term;
    }

    void term(long claimed) {
        term = claimed;
    }
}
