package io.cimle.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A partition commits up to its oldest unanswered record, answers may finish in any order. */
class OffsetTrackerTest {
    private final TopicPartition p0 = new TopicPartition("layouts.requests", 0);
    private final TopicPartition p1 = new TopicPartition("layouts.requests", 1);

    @Test
    void commitsStopAtTheOldestUnansweredRecord() {
        OffsetTracker t = new OffsetTracker();
        for (long o = 10; o < 15; o++) {
            t.received(p0, o, 1000 + o);
        }
        assertEquals(Map.of(p0, new OffsetAndMetadata(10)), t.committable(), "nothing answered: the first record is next");
        t.finished(p0, 10);
        t.finished(p0, 11);
        t.finished(p0, 13); // an error reply, acknowledged before 12's samples
        assertEquals(Map.of(p0, new OffsetAndMetadata(12)), t.committable());
        t.finished(p0, 12);
        assertEquals(Map.of(p0, new OffsetAndMetadata(14)), t.committable());
        t.finished(p0, 14);
        assertEquals(Map.of(p0, new OffsetAndMetadata(15)), t.committable(), "all answered: past the last record");
    }

    @Test
    void whatTheBrokerStoredIsNotCommittedAgain() {
        OffsetTracker t = new OffsetTracker();
        t.received(p0, 0, 1);
        t.received(p1, 0, 1);
        t.finished(p0, 0);
        t.committed(Map.of(p0, new OffsetAndMetadata(1), p1, new OffsetAndMetadata(0)));
        assertTrue(t.committable().isEmpty(), "p0 stored at 1, p1 still at its unanswered record 0: " + t.committable());
        t.finished(p1, 0);
        assertEquals(Map.of(p1, new OffsetAndMetadata(1)), t.committable());
    }

    @Test
    void aRevokedPartitionCommitsNothingMoreAndItsLateAnswersAreIgnored() {
        OffsetTracker t = new OffsetTracker();
        t.received(p0, 5, 1);
        t.received(p1, 7, 2);
        t.forget(List.of(p0));
        t.finished(p0, 5);
        assertEquals(Map.of(p1, new OffsetAndMetadata(7)), t.committable());
        assertEquals(1, t.outstanding());
    }

    @Test
    void theOldestUnansweredRecordIsReportedForLiveness() {
        OffsetTracker t = new OffsetTracker();
        assertEquals(-1, t.oldestOutstandingMs());
        t.received(p0, 0, 500);
        t.received(p0, 1, 700);
        t.received(p1, 0, 600);
        assertEquals(500, t.oldestOutstandingMs());
        t.finished(p0, 0);
        assertEquals(600, t.oldestOutstandingMs());
        t.finished(p1, 0);
        t.finished(p0, 1);
        assertEquals(-1, t.oldestOutstandingMs());
    }
}
