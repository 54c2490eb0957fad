package io.cimle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The PrometheusRule embeds exactly the groups of the plain rules file that promtool tests. */
class MonitoringRulesTest {

    @Test
    @SuppressWarnings("unchecked")
    void prometheusRuleEmbedsTheRulesFile() {
        Map<String, Object> plain = DeployFiles.readSingle(DeployFiles.monitoring().resolve("rules/cimle-rules.yaml"));
        Map<String, Object> cr = DeployFiles.readSingle(DeployFiles.monitoring().resolve("prometheusrule.yaml"));
        assertEquals("PrometheusRule", cr.get("kind"));
        Object embedded = ((Map<String, Object>) cr.get("spec")).get("groups");
        assertEquals(plain.get("groups"), embedded,
                "prometheusrule.yaml is out of date: run deploy/scripts/gen-prometheusrule.sh");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRequiredAlertExists() {
        Map<String, Object> plain = DeployFiles.readSingle(DeployFiles.monitoring().resolve("rules/cimle-rules.yaml"));
        Set<String> alerts = ((List<Map<String, Object>>) plain.get("groups")).stream()
                .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
                .map(r -> (String) r.get("alert")).collect(Collectors.toSet());
        for (String required : List.of("CimleGeneratorConsumerLagGrowing", "CimleGeneratorErrorRateHigh",
                "CimleGeneratorLatencyP99High", "CimleTrainerCheckpointStale", "CimleTrainerNoLeader",
                "CimleTrainerLossNotFinite", "CimleTrainerStorageFailing", "CimleTrainerNoGradient")) {
            assertTrue(alerts.contains(required), "missing alert " + required);
        }
        String test = DeployFiles.read(DeployFiles.monitoring().resolve("rules/cimle-rules.test.yaml"));
        for (String alert : alerts) {
            assertTrue(test.contains("alertname: " + alert), "no promtool test case for " + alert);
        }
    }
}
