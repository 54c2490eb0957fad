package io.cimle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each dashboard type-checks as @grafana/schema's Dashboard (tsc --noEmit) and has the panels it promises. */
class DashboardSchemaTest {

    @Test
    void dashboardsSatisfyGrafanaSchema() {
        Path checker = DeployFiles.root().resolve("dashboard-check");
        ToolRunner.requireOnPath("node");
        if (!Files.isRegularFile(checker.resolve("node_modules/typescript/bin/tsc"))
                || !Files.isDirectory(checker.resolve("node_modules/@grafana/schema"))) {
            fail("deploy/dashboard-check/node_modules is missing: run deploy/scripts/ensure-tools.sh (npm ci)");
        }
        ToolRunner.Result r = ToolRunner.run(checker, List.of("node", "check.mjs"));
        assertEquals(0, r.exitCode(), "tsc found dashboard errors:\n" + r.output());
        assertTrue(r.output().contains("generator.json") && r.output().contains("trainer.json"), r.output());
    }

    @Test
    void dashboardsShowWhatOperatorsNeed() throws IOException {
        assertPanels("generator.json", "Request rate", "p50", "p99", "Samples per second", "Batch size",
                "Consumer lag", "Errors by code", "model version");
        assertPanels("trainer.json", "Training loss", "Epoch", "Selection vs update", "Data set size",
                "Checkpoint age");
    }

    private static void assertPanels(String file, String... needles) throws IOException {
        JsonNode d = DeployFiles.JSON.readTree(DeployFiles.monitoring().resolve("dashboards").resolve(file).toFile());
        List<String> titles = new ArrayList<>();
        d.get("panels").forEach(p -> {
            titles.add(p.get("title").asText());
            assertTrue(p.get("targets").size() > 0, file + ": panel without query " + p.get("title"));
            p.get("targets").forEach(t -> assertTrue(t.get("expr").asText().contains("cimle_"),
                    file + ": " + p.get("title") + " queries no cimle metric"));
        });
        String all = String.join(" | ", titles).toLowerCase();
        for (String n : needles) {
            assertTrue(all.contains(n.toLowerCase()), file + " has no panel about " + n + ": " + titles);
        }
    }
}
