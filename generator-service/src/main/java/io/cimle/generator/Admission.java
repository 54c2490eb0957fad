package io.cimle.generator;

/** What planning made of a request: ready to run on its model (acquired: whoever runs it releases it), or refused. */
public sealed interface Admission {
    record Ready(PlannedRequest request, LoadedModel model) implements Admission {
    }

    record Refused(Outcome.Failed failure) implements Admission {
    }
}
