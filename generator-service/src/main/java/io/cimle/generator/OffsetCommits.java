package io.cimle.generator;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Commits what {@link OffsetTracker} says is answered: in the loop every commit interval, asynchronously; at a
 * revocation and at the end, synchronously. Offsets are this class's business, never a timer's in the client.
 */
final class OffsetCommits {
    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);

    private final OffsetTracker offsets;
    private final long intervalMs;
    private long lastCommitMs;

    OffsetCommits(OffsetTracker offsets, long intervalMs) {
        this.offsets = offsets;
        this.intervalMs = intervalMs;
    }

    /** Commits (asynchronously) what is answered when the interval has passed since the last time. */
    void commitIfDue(Consumer<?, ?> c, long nowMs) {
        if (nowMs - lastCommitMs < intervalMs) {
            return;
        }
        lastCommitMs = nowMs;
        Map<TopicPartition, OffsetAndMetadata> due = offsets.committable();
        if (!due.isEmpty()) {
            c.commitAsync(due, (done, e) -> {
                if (e == null) {
                    offsets.committed(done);
                } else {
                    // The next interval commits again from the same bookkeeping.
                    LOG.debugf("committing %s failed: %s", done, e.toString());
                }
            });
        }
    }

    /** Commits {@code due} now and waits for it; a failure is logged (those records will be delivered again). */
    void commitNow(Consumer<?, ?> c, Map<TopicPartition, OffsetAndMetadata> due) {
        if (due.isEmpty()) {
            return;
        }
        try {
            try {
                c.commitSync(due, Duration.ofSeconds(5));
            } catch (WakeupException e) {
                // stop()'s wakeup, left pending when the loop was not polling: it ends the loop, not this commit
                c.commitSync(due, Duration.ofSeconds(5));
            }
            offsets.committed(due);
        } catch (RuntimeException e) {
            LOG.warnf("committing %s failed: %s (those records will be delivered again)", due, e.toString());
        }
    }
}
