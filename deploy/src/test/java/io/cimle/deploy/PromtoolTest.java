package io.cimle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules pass `promtool check rules` and their unit tests (cases that fire and that do not). */
class PromtoolTest {
    private static final Path RULES = DeployFiles.monitoring().resolve("rules");

    @Test
    void rulesAreValid() {
        ToolRunner.requireOnPath("promtool");
        ToolRunner.Result r = ToolRunner.run(RULES, List.of("promtool", "check", "rules", "cimle-rules.yaml"));
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void ruleUnitTestsPass() {
        ToolRunner.requireOnPath("promtool");
        ToolRunner.Result r = ToolRunner.run(RULES, List.of("promtool", "test", "rules", "cimle-rules.test.yaml"));
        assertEquals(0, r.exitCode(), r.output());
    }

    /** The unit tests can fail: with one threshold changed, promtool reports a mismatch. */
    @Test
    void ruleUnitTestsDetectAChangedThreshold(@TempDir Path tmp) throws IOException {
        ToolRunner.requireOnPath("promtool");
        String rules = Files.readString(RULES.resolve("cimle-rules.yaml"));
        String broken = rules.replace("sum(cimle_trainer_leader) > 1", "sum(cimle_trainer_leader) > 2");
        assertNotEquals(rules, broken);
        Files.writeString(tmp.resolve("cimle-rules.yaml"), broken);
        Files.copy(RULES.resolve("cimle-rules.test.yaml"), tmp.resolve("cimle-rules.test.yaml"));
        ToolRunner.Result r = ToolRunner.run(tmp, List.of("promtool", "test", "rules", "cimle-rules.test.yaml"));
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("CimleTrainerSplitBrain"), r.output());
    }
}
