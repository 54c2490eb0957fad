package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    @Test
    void logsEveryNStepsWithoutCarriageReturnsWhenNotInteractive() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressReporter r = new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, false);
        for (int s = 1; s <= 4; s++) {
            r.onStep(new TrainingProgress(0, 2, s, 4, 1e-4), s, 0.5 * s, 120, 3);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, text.lines().count(), text);
        assertTrue(text.contains("loss 0.7500"), text); // mean of steps 1 and 2
        assertTrue(text.contains("step 4/4 (global 4/8)"), text);
        assertFalse(text.contains("\r"));
    }

    @Test
    void interactiveDrawsABar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressReporter r = new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), 100, true);
        r.onStep(new TrainingProgress(0, 1, 1, 10, 1e-4), 1, 1.0, 0, 1);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("\r[###"));
    }

    @Test
    void durations() {
        assertEquals("1h01m", ProgressReporter.formatDuration(3660));
        assertEquals("2m05s", ProgressReporter.formatDuration(125));
    }
}
