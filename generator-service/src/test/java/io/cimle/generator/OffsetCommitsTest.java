package io.cimle.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetCommitsTest {
    private static final TopicPartition P0 = new TopicPartition("requests", 0);

    private static MockConsumer<String, byte[]> consumer() {
        MockConsumer<String, byte[]> c = new MockConsumer<>("earliest");
        c.assign(List.of(P0));
        return c;
    }

    @Test
    void commitsTheAnsweredPrefixOncePerInterval() {
        OffsetTracker offsets = new OffsetTracker();
        OffsetCommits commits = new OffsetCommits(offsets, 1000);
        MockConsumer<String, byte[]> c = consumer();
        offsets.received(P0, 0, 0);
        offsets.received(P0, 1, 0);
        offsets.received(P0, 2, 0);
        offsets.finished(P0, 0);
        offsets.finished(P0, 2); // 1 unanswered: the commit stops before it
        commits.commitIfDue(c, 5000);
        assertEquals(1, c.committed(Set.of(P0)).get(P0).offset());
        offsets.finished(P0, 1);
        commits.commitIfDue(c, 5500);
        assertEquals(1, c.committed(Set.of(P0)).get(P0).offset(), "not again within the interval");
        commits.commitIfDue(c, 6000);
        assertEquals(3, c.committed(Set.of(P0)).get(P0).offset());
        assertTrue(offsets.committable().isEmpty(), "what was committed is recorded");
    }

    @Test
    void aSynchronousCommitRecordsWhatWentThroughAndSurvivesAFailure() {
        OffsetTracker offsets = new OffsetTracker();
        OffsetCommits commits = new OffsetCommits(offsets, 1000);
        MockConsumer<String, byte[]> c = consumer();
        offsets.received(P0, 0, 0);
        offsets.finished(P0, 0);
        commits.commitNow(c, offsets.committable());
        assertEquals(1, c.committed(Set.of(P0)).get(P0).offset());
        assertTrue(offsets.committable().isEmpty());
        offsets.received(P0, 1, 0);
        offsets.finished(P0, 1);
        c.close();
        commits.commitNow(c, offsets.committable()); // logged, not thrown: those records come again
        assertFalse(offsets.committable().isEmpty());
        commits.commitNow(c, Map.<TopicPartition, OffsetAndMetadata>of()); // nothing to do
    }

    @Test
    void aRevocationCommitsTheRevokedAndForgetsThem() {
        OffsetTracker offsets = new OffsetTracker();
        OffsetCommits commits = new OffsetCommits(offsets, 1000);
        MockConsumer<String, byte[]> c = consumer();
        offsets.received(P0, 4, 0);
        offsets.finished(P0, 4);
        PartitionRebalance rebalance = new PartitionRebalance(c, offsets, new HeldRequests(null), commits, () -> false,
                50);
        rebalance.onPartitionsRevoked(List.of(P0));
        assertEquals(5, c.committed(Set.of(P0)).get(P0).offset());
        assertEquals(0, offsets.outstanding());
        offsets.received(P0, 5, 0); // unanswered: the drain waits its bound, then the partition moves on
        long t0 = System.currentTimeMillis();
        rebalance.onPartitionsRevoked(List.of(P0));
        assertTrue(System.currentTimeMillis() - t0 >= 50);
        assertEquals(5, c.committed(Set.of(P0)).get(P0).offset());
        assertEquals(0, offsets.outstanding(), "forgotten: the new owner answers it");
    }

    @Test
    void newPartitionsWaitWhileTheConsumerIsPaused() {
        MockConsumer<String, byte[]> c = consumer();
        c.updateBeginningOffsets(Map.of(P0, 0L));
        PartitionRebalance rebalance = new PartitionRebalance(c, new OffsetTracker(), new HeldRequests(null),
                new OffsetCommits(new OffsetTracker(), 1000), () -> true, 50);
        rebalance.onPartitionsAssigned(List.of(P0));
        assertEquals(Set.of(P0), c.paused());
    }

    @Test
    void aProbeWithoutABrokerConnectionSaysSo() {
        ConsumerProbe probe = new ConsumerProbe(new GeneratorMetrics(), "requests");
        probe.probeIfDue(consumer(), ConsumerProbe.INTERVAL_MS);
        assertFalse(probe.connected());
    }
}
