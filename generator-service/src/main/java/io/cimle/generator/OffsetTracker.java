package io.cimle.generator;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition may be committed: up to the oldest record whose answers the broker
 * has not acknowledged yet, so a crash redelivers every record not answered durably. Records finish
 * out of order (an error reply is acknowledged before an earlier request's samples), hence a set of
 * outstanding offsets per partition rather than a counter. Thread-safe: records are received on the
 * polling thread and finished on Kafka's I/O thread.
 */
final class OffsetTracker {
    private static final class Partition {
        /** Outstanding offset -> when it was received (epoch ms). */
        final TreeMap<Long, Long> outstanding = new TreeMap<>();
        long nextToCommit = -1;
        long committed = -1;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    synchronized void received(TopicPartition tp, long offset, long nowMs) {
        Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
        p.outstanding.put(offset, nowMs);
        p.nextToCommit = Math.max(p.nextToCommit, offset + 1);
    }

    /** The record's answers are durable. A partition no longer tracked (revoked) is ignored. */
    synchronized void finished(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p != null) {
            p.outstanding.remove(offset);
        }
    }

    /** Per partition, the offset to commit now (the next record to read after a restart), where it moved on. */
    synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((tp, p) -> {
            long offset = p.outstanding.isEmpty() ? p.nextToCommit : p.outstanding.firstKey();
            if (offset > p.committed) {
                out.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return out;
    }

    /** The broker stored these offsets. */
    synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            Partition p = partitions.get(tp);
            if (p != null) {
                p.committed = Math.max(p.committed, o.offset());
            }
        });
    }

    /** Stops tracking partitions this consumer no longer owns: their late answers commit nothing. */
    synchronized void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }

    /** When the oldest unanswered record was received (epoch ms), or -1 when none is outstanding. */
    synchronized long oldestOutstandingMs() {
        long oldest = -1;
        for (Partition p : partitions.values()) {
            if (!p.outstanding.isEmpty()) {
                long at = p.outstanding.firstEntry().getValue(); // a partition's records arrive in offset order
                oldest = oldest < 0 ? at : Math.min(oldest, at);
            }
        }
        return oldest;
    }

    /**
     * Records of these partitions received and not yet answered durably, counting per partition only those
     * below its entry in {@code below} (where given): the records still being answered, not those set aside.
     */
    synchronized int outstanding(Collection<TopicPartition> of, Map<TopicPartition, Long> below) {
        int n = 0;
        for (TopicPartition tp : of) {
            Partition p = partitions.get(tp);
            if (p != null) {
                n += p.outstanding.headMap(below.getOrDefault(tp, Long.MAX_VALUE)).size();
            }
        }
        return n;
    }

    synchronized int outstanding() {
        return partitions.values().stream().mapToInt(p -> p.outstanding.size()).sum();
    }
}
