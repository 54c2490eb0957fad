package io.cimle.trainer;

import io.cimle.core.training.ModelHealth;
import io.cimle.wire.v1.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
/** The trainer's Prometheus metrics; names are the contract the dashboards and alerts use. */
@ApplicationScoped
public class TrainerMetrics {
    @Inject
    MeterRegistry registry;
    @Inject
    TrainingSetup setup;

    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong step = new AtomicLong();
    private final AtomicLong leader = new AtomicLong();
    private final AtomicLong term = new AtomicLong();
    private final AtomicLong lossFinite = new AtomicLong(1);
    private final AtomicLong checkpointSize = new AtomicLong();
    private final AtomicLong lastCheckpointMs = new AtomicLong();
    private final AtomicLong consumerLag = new AtomicLong();
    private volatile double loss = Double.NaN;
    private volatile double samplesPerSecond;
    private volatile double codeSpread = Double.NaN;
    private final AtomicLong modelHealthy = new AtomicLong(1);
    private Counter ingested;
    private Counter duplicates;
    private Timer selection;
    private Timer update;
    private Timer checkpointDuration;

    @PostConstruct
    void register() {
        ingested = Counter.builder("cimle.trainer.pairs.ingested").description("Training pairs stored").register(registry);
        duplicates = Counter.builder("cimle.trainer.pairs.duplicate").description("Replayed pairs already stored").register(registry);
        selection = histogram("cimle.trainer.selection", "Nearest-sample selection time per step");
        update = histogram("cimle.trainer.update", "Gradient update time per step");
        checkpointDuration = histogram("cimle.trainer.checkpoint.duration", "Checkpoint write, verify and publish time");
        Gauge.builder("cimle.trainer.dataset.size", this, m -> m.datasetSize()).description("Stored training pairs").register(registry);
        Gauge.builder("cimle.trainer.epoch", epoch, AtomicLong::get).register(registry);
        Gauge.builder("cimle.trainer.step", step, AtomicLong::get).register(registry);
        Gauge.builder("cimle.trainer.loss", this, m -> m.loss).register(registry);
        Gauge.builder("cimle.trainer.loss.finite", lossFinite, AtomicLong::get)
                .description("1 while every loss was finite, 0 once a NaN or infinity was seen").register(registry);
        Gauge.builder("cimle.trainer.samples.per.second", this, m -> m.samplesPerSecond).register(registry);
        Gauge.builder("cimle.trainer.checkpoint.size.bytes", checkpointSize, AtomicLong::get).register(registry);
        Gauge.builder("cimle.trainer.checkpoint.age.seconds", this, m -> m.checkpointAgeSeconds())
                .description("Seconds since the last published checkpoint (-1 before the first)").register(registry);
        Gauge.builder("cimle.trainer.leader", leader, AtomicLong::get).description("1 on the replica that trains").register(registry);
        Gauge.builder("cimle.trainer.term", term, AtomicLong::get)
                .description("The leadership term this replica trains under (its fencing token); 0 before it leads")
                .register(registry);
        Counter.builder("cimle.trainer.fenced")
                .description("Publications refused because a newer term exists: this replica was a stale leader")
                .register(registry);
        Gauge.builder("cimle.trainer.consumer.lag", consumerLag, AtomicLong::get).register(registry);
        Counter.builder("cimle.trainer.pairs.rejected").tag("reason", ErrorCode.INVALID_REQUEST.name()).register(registry);
        Counter.builder("cimle.trainer.storage.failures").description("Storage failures the training loop retried")
                .register(registry);
        Counter.builder("cimle.trainer.no.gradient")
                .description("Steps that reached no parameter; the loop stopped (FAILED)")
                .register(registry);
        Gauge.builder("cimle.trainer.code.spread", this, m -> m.codeSpread)
                .description("Mean pixel difference between samples of one probe layout under different codes, "
                        + "in [0, 1], at the last epoch's end").register(registry);
        Gauge.builder("cimle.trainer.model.healthy", modelHealthy, AtomicLong::get)
                .description("1 while the model responds to its code, its weights move and its loss does not keep "
                        + "climbing (or the health check is off), 0 otherwise").register(registry);
    }

    private Timer histogram(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    }

    private double datasetSize() {
        try {
            return setup.store().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private double checkpointAgeSeconds() {
        long t = lastCheckpointMs.get();
        return t == 0 ? -1 : (System.currentTimeMillis() - t) / 1000.0;
    }

    public void pairIngested() {
        ingested.increment();
    }

    public void pairDuplicate() {
        duplicates.increment();
    }

    public void pairRejected(ErrorCode reason) {
        registry.counter("cimle.trainer.pairs.rejected", "reason", reason.name()).increment();
    }

    public void step(int epochNow, long stepNow, double lossNow, long selectionNanos, long updateNanos, double perSecond) {
        epoch.set(epochNow);
        step.set(stepNow);
        loss = lossNow;
        if (!Double.isFinite(lossNow)) {
            lossFinite.set(0);
        }
        if (selectionNanos > 0) {
            selection.record(selectionNanos, TimeUnit.NANOSECONDS);
        }
        update.record(updateNanos, TimeUnit.NANOSECONDS);
        samplesPerSecond = perSecond;
    }

    public void storageError() {
        registry.counter("cimle.trainer.storage.failures").increment();
    }

    /** A gradient step reached no parameter (see NoGradientException); the loop stopped (FAILED). */
    public void noGradient() {
        registry.counter("cimle.trainer.no.gradient").increment();
    }

    /** The health check at an epoch's end. */
    public void health(ModelHealth health) {
        codeSpread = health.codeSpread();
        modelHealthy.set(health.healthy() ? 1 : 0);
    }

    public void lossNotFinite() {
        lossFinite.set(0);
    }

    public void checkpoint(long sizeBytes, long nanos) {
        checkpointSize.set(sizeBytes);
        lastCheckpointMs.set(System.currentTimeMillis());
        checkpointDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void term(long now) {
        term.set(now);
    }

    public void fenced() {
        registry.counter("cimle.trainer.fenced").increment();
    }

    public void leader(boolean isLeader) {
        leader.set(isLeader ? 1 : 0);
    }

    public void consumerLag(long lag) {
        consumerLag.set(lag);
    }
}
