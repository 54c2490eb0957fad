package io.cimle.generator;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Planned requests the batcher had no room for yet, in arrival order (at most a poll's worth): queued ahead of
 * any later request, so a partition's requests enter the batcher in order.
 */
final class HeldRequests {
    /** A planned request the batcher had no room for yet, and the record it came in. */
    private record Held(MicroBatcher.Work work, ConsumerRecord<String, byte[]> record) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final MicroBatcher batcher;

    HeldRequests(MicroBatcher batcher) {
        this.batcher = batcher;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    int size() {
        return held.size();
    }

    /** Hands {@code work} to the batcher, or holds it when the batcher is full or others wait before it. */
    void offer(MicroBatcher.Work work, ConsumerRecord<String, byte[]> record) {
        if (!held.isEmpty() || !batcher.offer(work)) {
            held.add(new Held(work, record));
        }
    }

    /** Hands the held requests to the batcher, oldest first, as long as it takes them. */
    void admit() {
        while (!held.isEmpty() && batcher.offer(held.peekFirst().work())) {
            held.pollFirst();
        }
    }

    /**
     * Removes the planned, not yet queued requests of the partitions {@code gone} names, closing their leases
     * (they stay unanswered: whoever owns the partition next answers them); per partition, the first one's offset.
     */
    Map<TopicPartition, Long> drop(Predicate<TopicPartition> gone) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            TopicPartition tp = new TopicPartition(h.record().topic(), h.record().partition());
            if (gone.test(tp)) {
                first.merge(tp, h.record().offset(), Math::min);
                h.work().lease().close();
                it.remove();
            }
        }
        return first;
    }
}
