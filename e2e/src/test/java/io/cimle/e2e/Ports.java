package io.cimle.e2e;

import io.cimle.kafka.FreePorts;
import java.nio.file.Path;

final class Ports {
    private Ports() {
    }

    /** A free port, never one this JVM handed out before (see {@link FreePorts}). */
    static int free() {
        return FreePorts.next();
    }

    /** The repository root, where the packaged services lie. */
    static Path root() {
        return Path.of(System.getProperty("cimle.root", ".."));
    }
}
