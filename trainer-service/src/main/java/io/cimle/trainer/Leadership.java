package io.cimle.trainer;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * This replica's leadership: the lease (on Kubernetes, or always the leader without election) wired from the
 * settings, and whether a publication was refused as stale (fenced) since this replica last won the lease.
 */
@ApplicationScoped
public class Leadership {
    @Inject
    TrainerSettings settings;
    @Inject
    TrainerMetrics metrics;
    @Inject
    Instance<KubernetesClient> kubernetes;

    private volatile LeaderElection election;
    /** Set when a publication was refused as stale; cleared when this replica wins the lease again. */
    private volatile boolean fenced;

    /** Joins the election; {@code changed} runs when this replica wins the lease (after the fence is lifted). */
    void open(Runnable changed) {
        LeaderElection.Listener listener = new LeaderElection.Listener() {
            @Override
            public void started() {
                metrics.leader(true);
                fenced = false; // a fresh leadership: the trainer will claim a new term
                changed.run();
            }

            @Override
            public void stopped() {
                metrics.leader(false);
            }
        };
        TrainerSettings.LeaderElection le = settings.trainer().leaderElection();
        if (le.enabled()) {
            KubernetesClient client = kubernetes.get();
            String ns = le.namespace().or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                    .orElseGet(client::getNamespace);
            election = LeaderElection.onKubernetes(client, ns, le.leaseName(), le.identity(),
                    Duration.ofSeconds(le.leaseDurationSeconds()), Duration.ofSeconds(le.renewDeadlineSeconds()),
                    Duration.ofSeconds(le.retryPeriodSeconds()), listener);
        } else {
            election = LeaderElection.alwaysLeader(listener);
        }
    }

    void close() {
        if (election != null) {
            election.close();
        }
    }

    /** Whether this replica holds the lease (false before it joined). */
    public boolean isLeader() {
        LeaderElection e = election;
        return e != null && e.isLeader();
    }

    /** Whether this replica may train: it holds the lease and no newer term fenced it off. */
    boolean leadsUnfenced() {
        return isLeader() && !fenced;
    }

    boolean fenced() {
        return fenced;
    }

    /** A publication was refused as stale: a newer term exists. */
    void fence() {
        fenced = true;
        metrics.fenced();
    }

    /** This replica's identity; "" before it joined. */
    public String identity() {
        LeaderElection e = election;
        return e == null ? "" : e.identity();
    }

    /** The current leader's identity; "" before this replica joined. */
    public String leader() {
        LeaderElection e = election;
        return e == null ? "" : e.leader();
    }
}
