package io.cimle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cimle.core.storage.CheckpointInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CheckpointUploadsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private CheckpointUploads uploads(boolean leader) {
        CheckpointUploads u = new CheckpointUploads();
        u.metrics = new TrainerMetrics();
        u.metrics.registry = registry;
        u.state = new TrainingState();
        u.controls = new TrainingControls();
        u.leadership = new Leadership() {
            @Override
            public boolean isLeader() {
                return leader;
            }
        };
        u.firstDelay = Duration.ofMillis(1);
        u.maxDelay = Duration.ofMillis(2);
        return u;
    }

    private static CheckpointInfo info(String version) {
        return new CheckpointInfo("m", version, 10, 1, "sha", 1, "key", "s3://b/" + version, 0, Map.of(), "tiny", 32,
                16, 1);
    }

    @Test
    void aLeaderRetriesUntilTheUploadGoesThroughAndTheStorageFailureClears() {
        CheckpointUploads u = uploads(true);
        AtomicInteger tries = new AtomicInteger();
        String uri = u.publish(null, prepared -> {
            if (tries.incrementAndGet() < 3) {
                assertEquals(tries.get() == 1 ? "" : "storage: down", u.state.failure());
                throw new IOException("down");
            }
            return info("v7");
        });
        assertEquals("s3://b/v7", uri);
        assertEquals(3, tries.get());
        assertEquals("v7", u.state.version());
        assertEquals("", u.state.failure());
        assertEquals(2.0, registry.counter("cimle.trainer.storage.failures").count());
    }

    @Test
    void withoutLeadershipTheErrorGoesToTheLoop() {
        CheckpointUploads u = uploads(false);
        assertThrows(UncheckedIOException.class, () -> u.publish(null, prepared -> {
            throw new IOException("down");
        }));
        assertEquals(0.0, registry.counter("cimle.trainer.storage.failures").count(), "the loop counts it");
    }
}
