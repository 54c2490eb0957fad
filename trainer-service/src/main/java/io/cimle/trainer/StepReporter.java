package io.cimle.trainer;

import io.cimle.core.training.ModelHealth;
import io.cimle.core.training.TrainingListener;
import io.cimle.core.training.TrainingProgress;
import org.jboss.logging.Logger;

/**
 * Listens to the trainer: each step's loss, timings and throughput to the metrics, the state and (every 100th
 * step) the log; each epoch's health verdict to the metrics and the state.
 */
final class StepReporter implements TrainingListener {
    private static final Logger LOG = Logger.getLogger(TrainingLoop.class);

    private final TrainerMetrics metrics;
    private final TrainingState state;
    private final int subBatch;
    private long lastNanos = System.nanoTime();

    StepReporter(TrainerMetrics metrics, TrainingState state, int subBatch) {
        this.metrics = metrics;
        this.state = state;
        this.subBatch = subBatch;
    }

    @Override
    public void onStep(TrainingProgress p, long step, double loss, double selectionMs, double updateMs) {
        long now = System.nanoTime();
        double perSecond = subBatch / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastNanos = now;
        state.stepped(p, loss);
        boolean firstOfEpoch = p.stepInEpoch() == 1;
        metrics.step(p.epoch(), step, loss, firstOfEpoch ? (long) (selectionMs * 1e6) : 0,
                (long) (updateMs * 1e6), perSecond);
        if (step % 100 == 0) {
            LOG.infof("epoch %d step %d/%d loss %.4f (selection %.0f ms/epoch, update %.1f ms/step)", p.epoch(),
                    p.stepInEpoch(), p.steps(), loss, selectionMs, updateMs);
        }
    }

    @Override
    public void onHealth(TrainingProgress p, ModelHealth health) {
        // The core logs an unhealthy verdict; the service keeps training and lets the alert speak.
        metrics.health(health);
        state.codeSpread(health.codeSpread());
    }
}
