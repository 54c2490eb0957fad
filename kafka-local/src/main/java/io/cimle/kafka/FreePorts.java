package io.cimle.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * TCP ports for local servers (brokers, services, proxies). A port is free when asked for, and never one this
 * JVM handed out before: the OS may hand a just-closed port to the next {@code bind(0)}, and two listeners of
 * one broker once got the same port that way ("two listeners on the same port").
 */
public final class FreePorts {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** A port free now that no earlier call returned. */
    public static synchronized int next() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no new free port after 1000 tries");
    }
}
