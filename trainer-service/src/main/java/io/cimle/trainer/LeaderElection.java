package io.cimle.trainer;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One of several trainer replicas trains: they compete for a Kubernetes Lease. Outside a cluster
 * (election disabled) this replica always leads. A replica that loses the lease stops training and
 * becomes a candidate again; a standby that wins resumes from the latest checkpoint.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    /** What the training loop is told when leadership changes. */
    public interface Listener {
        void started();

        void stopped();
    }

    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String identity;
    private volatile String leader = "";
    private volatile CompletableFuture<?> running;

    private LeaderElection(String identity) {
        this.identity = identity;
    }

    /** Always the leader: for a single process outside a cluster. */
    public static LeaderElection alwaysLeader(Listener listener) {
        LeaderElection e = new LeaderElection(hostName());
        e.leading.set(true);
        e.leader = e.identity;
        listener.started();
        return e;
    }

    /** Competes for {@code namespace/leaseName} through the Kubernetes API. */
    public static LeaderElection onKubernetes(KubernetesClient client, String namespace, String leaseName,
            Optional<String> identity, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
            Listener listener) {
        String id = identity.orElseGet(() -> Optional.ofNullable(System.getenv("POD_NAME")).orElse(hostName() + "-"
                + UUID.randomUUID().toString().substring(0, 8)));
        LeaderElection e = new LeaderElection(id);
        LeaderElectionConfig config = new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, id))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            e.leading.set(true);
                            LOG.infof("%s leads %s/%s: training here", id, namespace, leaseName);
                            listener.started();
                        },
                        () -> {
                            if (e.leading.getAndSet(false)) {
                                LOG.infof("%s lost the lease %s/%s: training stops here", id, namespace, leaseName);
                                listener.stopped();
                            }
                        },
                        newLeader -> e.leader = newLeader))
                .build();
        e.campaign(client, config);
        return e;
    }

    private void campaign(KubernetesClient client, LeaderElectionConfig config) {
        if (closed.get()) {
            return;
        }
        LeaderElector elector = client.leaderElector().withConfig(config).build();
        running = elector.start();
        // After losing the lease (or an API error) stand again, unless we are shutting down.
        running.whenComplete((ok, error) -> {
            if (error != null && !closed.get()) {
                LOG.warnf("leader election round ended: %s; standing again", error.toString());
            }
            if (!closed.get()) {
                campaign(client, config);
            }
        });
    }

    public boolean isLeader() {
        return leading.get();
    }

    public String identity() {
        return identity;
    }

    public String leader() {
        return leader;
    }

    @Override
    public void close() {
        closed.set(true);
        CompletableFuture<?> r = running;
        if (r != null) {
            r.cancel(true);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "trainer";
        }
    }
}
