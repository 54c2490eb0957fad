package io.cimle.generator;

/**
 * What planning made of a request: ready to run on its model (the lease open: whoever owns it next closes it, see
 * {@link ModelLease}), or refused.
 */
public sealed interface Admission {
    record Ready(PlannedRequest request, ModelLease lease) implements Admission {
    }

    record Refused(Outcome.Failed failure) implements Admission {
    }
}
