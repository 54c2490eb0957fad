package io.cimle.generator;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/** Revoked partitions: commit what is answered, forget the rest (their new owner reads them again). */
final class PartitionRebalance implements ConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(RequestConsumer.class);
    /**
     * At a revocation the revoked partitions' requests already in the batcher are answered before their offsets
     * are committed (else their new owner answers them again): the wait goes on while answers keep coming, and
     * gives up after this long without one. Far above a pass of max-batch samples even on a loaded machine; a
     * fixed bound on the whole wait was not: max-in-flight requests are many passes, and on an overloaded
     * machine their drain outlasted 10 s (a rebalance test then saw 640 samples answered twice).
     */
    static final long REVOKE_DRAIN_MS = 10_000;
    /** The whole wait's bound: well inside max.poll.interval.ms (5 min), which bounds a rebalance. */
    static final long REVOKE_DRAIN_CAP_MS = 120_000;

    private final Consumer<?, ?> c;
    private final OffsetTracker offsets;
    private final HeldRequests held;
    private final OffsetCommits commits;
    private final BooleanSupplier paused;
    private final long drainMs;

    PartitionRebalance(Consumer<?, ?> c, OffsetTracker offsets, HeldRequests held, OffsetCommits commits,
                       BooleanSupplier paused, long drainMs) {
        this.c = c;
        this.offsets = offsets;
        this.held = held;
        this.commits = commits;
        this.paused = paused;
        this.drainMs = drainMs;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        // Planned but not started: set aside, unanswered (their next owner answers them); the commit stops
        // at the first of them. The ones in the batcher are answered first, so they are not answered twice.
        Map<TopicPartition, Long> setAside = held.drop(new HashSet<>(revoked)::contains);
        long drained = drain(revoked, setAside);
        Map<TopicPartition, OffsetAndMetadata> due = offsets.committable();
        due.keySet().retainAll(new HashSet<>(revoked));
        LOG.infof("partitions revoked: %s; in-flight answers waited for %d ms (%d left); committing %s", revoked,
                drained, offsets.outstanding(revoked, setAside), due);
        commits.commitNow(c, due);
        offsets.forget(revoked);
    }

    /**
     * Waits until the requests of {@code revoked} in the batcher are answered, while answers keep coming (at most
     * {@code drainMs} without one, {@link #REVOKE_DRAIN_CAP_MS} in all); the time it took.
     */
    private long drain(Collection<TopicPartition> revoked, Map<TopicPartition, Long> setAside) {
        long t0 = System.currentTimeMillis();
        long progressAt = t0;
        long left = offsets.outstanding(revoked, setAside);
        while (left > 0 && System.currentTimeMillis() - progressAt < drainMs
                && System.currentTimeMillis() - t0 < REVOKE_DRAIN_CAP_MS) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = offsets.outstanding(revoked, setAside);
            if (now < left) {
                left = now;
                progressAt = System.currentTimeMillis();
            }
        }
        return System.currentTimeMillis() - t0;
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        LOG.infof("partitions lost (the group moved on without this member): %s; answered up to %s", lost,
                offsets.committable());
        offsets.forget(lost);
        held.drop(new HashSet<>(lost)::contains);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        if (!assigned.isEmpty()) {
            Map<TopicPartition, Long> positions = new HashMap<>();
            assigned.forEach(tp -> positions.put(tp, c.position(tp)));
            LOG.infof("partitions assigned: reading from %s", positions);
        }
        if (paused.getAsBoolean()) { // at max-in-flight, or waiting for the model: the new partitions wait too
            c.pause(assigned);
        }
    }
}
