package io.cimle.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheCapAndStartsOverAfterASuccess() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));
        assertEquals(500, b.nextDelayMs());
        assertEquals(1000, b.nextDelayMs());
        assertEquals(2000, b.nextDelayMs());
        assertEquals(3000, b.nextDelayMs());
        assertEquals(3000, b.nextDelayMs());
        b.reset();
        assertEquals(500, b.nextDelayMs());
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
