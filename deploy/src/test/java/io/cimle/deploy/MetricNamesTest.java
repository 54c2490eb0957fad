package io.cimle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dashboards, rules and KEDA query only metrics listed in metric-names.txt, and that list is part of
 * the services' contract (exposed-metrics.txt, copied from SERVICES.md).
 */
class MetricNamesTest {
    private static final Pattern METRIC = Pattern.compile("\\bcimle_[a-z0-9_]+");

    @Test
    void everyMetricUsedIsListedAndEveryListedIsUsed() throws IOException {
        Set<String> exposed = names(DeployFiles.monitoring().resolve("exposed-metrics.txt"));
        Set<String> used = new TreeSet<>();
        Path mon = DeployFiles.monitoring();
        try (Stream<Path> s = Files.list(mon.resolve("dashboards"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                used.addAll(metricsIn(DeployFiles.read(p), exposed));
            }
        }
        used.addAll(metricsIn(DeployFiles.read(mon.resolve("rules/cimle-rules.yaml")), exposed));
        used.addAll(metricsIn(DeployFiles.read(DeployFiles.root().resolve("components/keda/scaledobject.yaml")), exposed));
        Set<String> listed = names(mon.resolve("metric-names.txt"));
        assertEquals(used, listed, "metric-names.txt must list exactly the metrics the dashboards and rules use");
    }

    @Test
    void everyListedMetricIsInTheServiceContract() {
        Set<String> exposed = names(DeployFiles.monitoring().resolve("exposed-metrics.txt"));
        Set<String> listed = names(DeployFiles.monitoring().resolve("metric-names.txt"));
        Set<String> unknown = new TreeSet<>(listed);
        unknown.removeAll(exposed);
        assertEquals(Set.of(), unknown, "metrics used but not exposed by the services (SERVICES.md)");
    }

    /** exposed-metrics.txt is the SERVICES.md list: the same names, no more, no fewer. */
    @Test
    void exposedListMatchesServicesContractWhenAvailable() {
        Set<String> exposed = names(DeployFiles.monitoring().resolve("exposed-metrics.txt"));
        assertTrue(exposed.size() >= 24, "contract list too short: " + exposed);
        for (Path candidate : List.of(DeployFiles.root().resolveSibling("SERVICES.md"),
                DeployFiles.root().getParent().resolveSibling("SERVICES.md"))) {
            if (Files.isRegularFile(candidate)) {
                String md = DeployFiles.read(candidate);
                String section = md.substring(md.indexOf("## Metric names"));
                Set<String> fromDoc = new TreeSet<>();
                Matcher m = METRIC.matcher(section);
                while (m.find()) {
                    fromDoc.add(m.group());
                }
                assertEquals(fromDoc, exposed, candidate + " and exposed-metrics.txt differ");
            }
        }
    }

    private static Set<String> metricsIn(String text, Set<String> exposed) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            String name = m.group();
            // Histogram series map to their base name.
            for (String suffix : List.of("_bucket", "_sum", "_count")) {
                String base = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
                if (base != null && exposed.contains(base)) {
                    name = base;
                }
            }
            out.add(name);
        }
        return out;
    }

    private static Set<String> names(Path file) {
        Set<String> out = new TreeSet<>();
        for (String line : DeployFiles.read(file).split("\n")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out;
    }
}
