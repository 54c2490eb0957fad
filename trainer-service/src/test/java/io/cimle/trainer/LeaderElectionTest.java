package io.cimle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Two trainer replicas against the Kubernetes API (fabric8's mock server, CRUD mode): one leads, the other takes over. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    KubernetesClient client;

    @Test
    void oneLeadsAndAStandbyTakesOverWhenItStops() throws Exception {
        AtomicInteger startsA = new AtomicInteger();
        AtomicInteger startsB = new AtomicInteger();
        AtomicInteger stopsA = new AtomicInteger();
        LeaderElection a = elect("trainer-a", startsA, stopsA);
        await(a::isLeader, "a leads first");
        LeaderElection b = elect("trainer-b", startsB, new AtomicInteger());
        Thread.sleep(1500);
        assertTrue(a.isLeader());
        assertTrue(!b.isLeader(), "only one replica trains");
        assertEquals("trainer-a", b.leader());
        assertEquals(0, startsB.get());

        a.close(); // the leader goes away (releases the lease on cancel)
        await(b::isLeader, "b takes over");
        assertEquals(1, startsB.get());
        assertNotEquals(0, client.leases().inNamespace("test").withName("cimle-trainer").get().getSpec().getLeaseTransitions());
        b.close();
    }

    private LeaderElection elect(String id, AtomicInteger starts, AtomicInteger stops) {
        return LeaderElection.onKubernetes(client, "test", "cimle-trainer", Optional.of(id), Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofMillis(250), new LeaderElection.Listener() {
                    @Override
                    public void started() {
                        starts.incrementAndGet();
                    }

                    @Override
                    public void stopped() {
                        stops.incrementAndGet();
                    }
                });
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(100);
        }
    }
}
