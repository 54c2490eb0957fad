package io.cimle.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's own code at the tiniest sizes, one repeat: keys present, numbers positive. No timing asserts. */
class BenchMainTest {
    private static final Stats.Repeats ONCE = new Stats.Repeats(0, 1, 1, 0);

    @Test
    void sectionsProduceTheExpectedKeysAndPositiveNumbers(@TempDir Path out) throws Exception {
        ObjectNode matmul = MatmulBench.run(64, Device.cpu(), ONCE);
        positive(matmul, "gflops", "ms_median");

        JsonNode forward = ForwardBench.run(List.of("tiny"), List.of(1, 2), Device.cpu(), ONCE,
                matmul.get("gflops").asDouble());
        assertEquals(2, forward.size());
        for (JsonNode p : forward) {
            positive(p, "ms_median", "samples_per_s", "gflops", "ratio_to_matmul");
        }

        ObjectNode epoch = EpochBench.run("tiny", 2, 1, List.of(1, 2), Device.cpu());
        assertEquals(2, epoch.get("points").size());
        for (JsonNode p : epoch.get("points")) {
            positive(p, "selection_ms", "update_ms_total", "selection_share");
        }

        ObjectNode selection = SelectionBench.run("tiny", 2, 3, 4, Device.cpu(), ONCE);
        positive(selection, "batched_ms", "one_at_a_time_ms", "speedup");
        assertTrue(selection.get("same_codes").asBoolean(), "both selection variants must keep the same codes");

        ObjectNode point = GrowthBench.measure(new GrowthBench.Point("tiny", 2, 2, 1), Device.cpu(), 1);
        positive(point, "time_ms", "peak_rss_mib", "peak_over_baseline_mib");

        // The whole pipeline with Kafka and the peer left out (they need a packaged service / python).
        BenchOptions o = new BenchOptions(true, false, false, Set.of("matmul", "selection"), out, ONCE, false, 1,
                List.of("tiny"), out, "tiny");
        ObjectNode report = BenchMain.run(o);
        BenchMain.write(report, out);
        JsonNode json = new ObjectMapper().readTree(Files.readString(out.resolve("bench.json")));
        for (String key : List.of("meta", "matmul", "selection", "targets")) {
            assertTrue(json.has(key), "bench.json lacks '" + key + "': " + json);
        }
        assertEquals("batched_selection_speedup", json.get("targets").get(0).get("name").asText());
        String md = Files.readString(out.resolve("bench.md"));
        assertTrue(md.contains("## Targets") && md.contains("speed-up"), md);

        assertEquals(2.0, Stats.logLogSlope(new double[] {1, 2, 4}, new double[] {3, 12, 48}), 1e-9);
        assertEquals("module3_norm2_gamma", Workloads.parameterName("05module3_04norm2_gamma"));
    }

    private static void positive(JsonNode n, String... keys) {
        for (String k : keys) {
            assertTrue(n.has(k), "missing '" + k + "' in " + n);
            assertTrue(n.get(k).asDouble() > 0, "'" + k + "' should be positive in " + n);
        }
    }

    @Test
    void interleavedPathsTakeTurnsInOneWindowAndEachGetsItsPoint() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        ClosedLoop.Call a = (c, i) -> {
            order.add("a");
            Thread.sleep(2);
            return 2.0;
        };
        ClosedLoop.Call b = (c, i) -> {
            order.add("b");
            Thread.sleep(2);
            return 5.0;
        };
        var points = ClosedLoop.interleaved(Map.of("a", a, "b", b), Duration.ofMillis(120), 3, 4);
        assertEquals(Set.of("a", "b"), points.keySet());
        assertEquals(2.0, points.get("a").get("p50_ms").asDouble(), 1e-9);
        assertEquals(5.0, points.get("b").get("p50_ms").asDouble(), 1e-9);
        assertEquals(1, points.get("a").get("clients").asInt());
        // Three rounds: the paths alternate a, b, a, b, a, b (runs of one path, six runs in all).
        int runs = 1;
        for (int k = 1; k < order.size(); k++) {
            runs += order.get(k).equals(order.get(k - 1)) ? 0 : 1;
        }
        assertEquals(6, runs, order::toString);
        assertEquals(order.stream().filter("a"::equals).count(), points.get("a").get("requests").asLong());
    }
}
