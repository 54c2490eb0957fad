package io.cimle.generator;

import java.util.concurrent.CompletableFuture;

/**
 * Where a request's {@link Outcome} goes: its front end's reply. The future completes once the reply is
 * durable (Kafka: the broker acknowledged every record), or fails if it could not be made so.
 */
@FunctionalInterface
public interface Answer {
    CompletableFuture<Void> deliver(Outcome outcome);
}
