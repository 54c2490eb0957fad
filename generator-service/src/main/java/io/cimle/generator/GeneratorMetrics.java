package io.cimle.generator;

import io.cimle.wire.v1.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The generator's Prometheus metrics; names are the contract the dashboards and alerts use. */
@ApplicationScoped
public class GeneratorMetrics {
    @Inject
    MeterRegistry registry;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger modelLoaded = new AtomicInteger();
    private final AtomicLong modelVersion = new AtomicLong();
    private final AtomicLong consumerLag = new AtomicLong();
    private Counter samples;
    private Timer requestLatency;
    private Timer modelLatency;
    private DistributionSummary batchSize;

    @PostConstruct
    void register() {
        samples = Counter.builder("cimle.generator.samples").description("Samples generated").register(registry);
        requestLatency = Timer.builder("cimle.generator.request.latency")
                .description("Receive to last sample published, per request")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120)).register(registry);
        modelLatency = Timer.builder("cimle.generator.model.latency").description("One batched forward pass")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
        batchSize = DistributionSummary.builder("cimle.generator.batch.size").description("Samples per forward pass")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128).register(registry);
        Gauge.builder("cimle.generator.in.flight.requests", inFlight, AtomicInteger::get)
                .description("Requests received and not yet answered").register(registry);
        Counter.builder("cimle.generator.checkpoints.refused").tag("reason", "older")
                .description("Checkpoints not switched to: older in (term, step) than the one served").register(registry);
        Gauge.builder("cimle.generator.model.loaded", modelLoaded, AtomicInteger::get)
                .description("1 when a model is loaded").register(registry);
        Gauge.builder("cimle.generator.model.version", modelVersion, AtomicLong::get)
                .description("Numeric version of the latest loaded checkpoint").register(registry);
        Gauge.builder("cimle.generator.consumer.lag", consumerLag, AtomicLong::get)
                .description("Records behind on layouts.requests").register(registry);
        for (String outcome : new String[] {"ok"}) {
            Counter.builder("cimle.generator.requests").tag("outcome", outcome).tag("code", "OK").register(registry);
        }
    }

    public void requestOk(long latencyNanos) {
        registry.counter("cimle.generator.requests", "outcome", "ok", "code", "OK").increment();
        requestLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    public void requestFailed(ErrorCode code) {
        registry.counter("cimle.generator.requests", "outcome", "error", "code", code.name()).increment();
    }

    public void forwardPass(int size, long nanos) {
        batchSize.record(size);
        modelLatency.record(nanos, TimeUnit.NANOSECONDS);
        samples.increment(size);
    }

    public void inFlight(int delta) {
        inFlight.addAndGet(delta);
    }

    public void consumerLag(long lag) {
        consumerLag.set(lag);
    }

    /** An announced or stored checkpoint not switched to because it is older in (term, step) than the one served. */
    public void checkpointRefused() {
        registry.counter("cimle.generator.checkpoints.refused", "reason", "older").increment();
    }

    public void modelLoaded(LoadedModel model) {
        modelLoaded.set(1);
        try {
            modelVersion.set(Long.parseLong(model.version()));
        } catch (NumberFormatException e) {
            modelVersion.set(-1);
        }
    }
}
