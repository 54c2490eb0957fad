package io.cimle.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    /** The failure this prevents: bind(0) handed a broker's two listeners one port. */
    @Test
    void neverHandsOutAPortTwiceAndEachIsBindable() throws IOException {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int port = FreePorts.next();
            assertTrue(seen.add(port), "port " + port + " handed out twice");
        }
        assertEquals(500, seen.size());
        try (ServerSocket s = new ServerSocket(FreePorts.next())) {
            assertTrue(s.isBound());
        }
    }
}
