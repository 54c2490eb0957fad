package io.cimle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The targets of issue 9 judged against a report, and the report as a markdown page. */
final class Report {
    private Report() {
    }

    static ArrayNode targets(JsonNode r) {
        ArrayNode t = JsonNodeFactory.instance.arrayNode();
        JsonNode points = r.path("forward").path("points");
        if (points.isArray() && points.size() > 0) {
            String largest = points.get(points.size() - 1).path("preset").asText();
            double best = 0;
            for (JsonNode p : points) {
                if (p.path("preset").asText().equals(largest) && p.path("batch").asInt() >= 8) {
                    best = Math.max(best, p.path("ratio_to_matmul").asDouble());
                }
            }
            target(t, "forward_vs_matmul", ">= 0.40 of the matmul limit at batch >= 8 (" + largest + ")", best,
                    best >= 0.40);
        }
        JsonNode sel = r.path("selection");
        if (sel.has("speedup")) {
            target(t, "batched_selection_speedup", ">= 3x one-at-a-time", sel.path("speedup").asDouble(),
                    sel.path("speedup").asDouble() >= 3);
        }
        if (points.isArray()) {
            for (String preset : presetsOf(points)) {
                double worst = 0; // largest rise of per-sample time from one batch to the next, batch <= 16
                double previous = Double.NaN;
                for (JsonNode p : points) {
                    if (p.path("preset").asText().equals(preset) && p.path("batch").asInt() <= 16) {
                        double perSample = p.path("ms_median").asDouble() / p.path("batch").asInt();
                        if (!Double.isNaN(previous)) {
                            worst = Math.max(worst, perSample / previous);
                        }
                        previous = perSample;
                    }
                }
                target(t, "forward_per_sample_" + preset, "per-sample time non-increasing, batch 1..16 (largest "
                        + "step-to-step ratio <= 1.0)", Stats.round(worst, 3), worst <= 1.0);
            }
        }
        JsonNode kafka = r.path("kafka").path("presets");
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) kafka::fields) {
            String preset = e.getKey();
            JsonNode k = e.getValue();
            if (!k.has("latency_ratio")) {
                continue;
            }
            if (preset.equals("medium")) {
                target(t, "kafka_latency_ratio_medium", "Kafka p50 <= 1.2x direct (one at a time)",
                        k.path("latency_ratio").asDouble(), k.path("latency_ratio").asDouble() <= 1.2);
            } else {
                target(t, "kafka_overhead_" + preset, "Kafka p50 - direct p50 <= 2x the echo's p50 (one at a time)",
                        k.path("overhead_over_echo").asDouble(), k.path("overhead_over_echo").asDouble() <= 2);
            }
            if (k.has("throughput_ratio_8plus")) {
                target(t, "kafka_throughput_" + preset, ">= 1.5x the one-at-a-time direct rate at 8+ clients",
                        k.path("throughput_ratio_8plus").asDouble(), k.path("throughput_ratio_8plus").asDouble() >= 1.5);
            }
        }
        JsonNode peer = r.path("peer");
        if (peer.has("ratio_ours_to_peer")) {
            target(t, "train_step_vs_pytorch", "<= 1.0 (ours / peer step time)",
                    peer.path("ratio_ours_to_peer").asDouble(), peer.path("ratio_ours_to_peer").asDouble() <= 1.0);
        }
        if (peer.path("peer_adam_ms").asDouble() > 0) {
            double adam = peer.path("ours_adam_ms").asDouble() / peer.path("peer_adam_ms").asDouble();
            target(t, "adam_vs_pytorch", "<= 1.5 (ours / peer Adam, inside a step, with our gradient check)",
                    Stats.round(adam, 2), adam <= 1.5);
        }
        return t;
    }

    private static List<String> presetsOf(JsonNode points) {
        List<String> presets = new ArrayList<>();
        for (JsonNode p : points) {
            if (!presets.contains(p.path("preset").asText())) {
                presets.add(p.path("preset").asText());
            }
        }
        return presets;
    }

    private static void target(ArrayNode t, String name, String goal, double value, boolean met) {
        ObjectNode n = t.addObject();
        n.put("name", name);
        n.put("goal", goal);
        n.put("value", value);
        n.put("met", met);
    }

    static String markdown(JsonNode r) {
        StringBuilder md = new StringBuilder("# cimle bench\n\n");
        JsonNode meta = r.path("meta");
        md.append("Run ").append(meta.path("started").asText()).append(", device ").append(meta.path("device").asText())
                .append(", ").append(meta.path("cpus").asInt()).append(" CPUs, ").append(meta.path("torch_threads").asInt())
                .append(" torch threads, ONEDNN_MAX_CPU_ISA=").append(meta.path("onednn_max_cpu_isa").asText())
                .append(", load average at start ").append(meta.path("load_average_at_start").asText())
                .append(meta.path("quick").asBoolean() ? ", **quick run**" : "")
                .append(". Medians of repeats after warm-up.\n\n");

        md.append("## Targets\n\n| target | goal | value | met |\n|---|---|---|---|\n");
        for (JsonNode t : r.path("targets")) {
            md.append("| ").append(t.path("name").asText()).append(" | ").append(t.path("goal").asText()).append(" | ")
                    .append(fmt(t.path("value").asDouble())).append(" | ").append(t.path("met").asBoolean() ? "yes" : "**no**")
                    .append(" |\n");
        }

        JsonNode mm = r.path("matmul");
        md.append("\n## 1. Matmul limit\n\n");
        if (mm.has("gflops")) {
            md.append("float32 ").append(mm.path("size").asInt()).append("x").append(mm.path("size").asInt())
                    .append(" matmul: **").append(fmt(mm.path("gflops").asDouble())).append(" GFLOP/s** (")
                    .append(fmt(mm.path("ms_median").asDouble())).append(" ms median of ")
                    .append(mm.path("repeats").asInt()).append(").\n");
        } else {
            md.append(skip(mm));
        }

        JsonNode fw = r.path("forward");
        md.append("\n## 2. Generator forward (no-grad)\n\n");
        if (fw.has("points")) {
            md.append("| preset | batch | ms | samples/s | GFLOP/s | of matmul |\n|---|---|---|---|---|---|\n");
            for (JsonNode p : fw.path("points")) {
                row(md, p, "preset", "batch", "ms_median", "samples_per_s", "gflops", "ratio_to_matmul");
            }
            for (JsonNode p : fw.path("paper")) {
                row(md, p, "preset", "batch", "ms_median", "samples_per_s", "gflops", "ratio_to_matmul");
            }
            JsonNode prof = fw.path("profile");
            if (prof.has("share")) {
                md.append("\nTime split of one forward (").append(prof.path("preset").asText()).append(", batch ")
                        .append(prof.path("batch").asInt()).append(", op by op, ")
                        .append(fmt(prof.path("total_ms_mean").asDouble())).append(" ms; max diff vs the real forward ")
                        .append(fmt(prof.path("max_abs_diff_vs_forward").asDouble())).append("): ");
                Iterator<Map.Entry<String, JsonNode>> it = prof.path("share").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    md.append(e.getKey()).append(" ").append(Math.round(e.getValue().asDouble() * 100)).append("%")
                            .append(it.hasNext() ? ", " : ".\n");
                }
            }
        } else {
            md.append(skip(fw));
        }

        JsonNode ep = r.path("epoch");
        md.append("\n## 3. One IMLE epoch: selection vs gradient steps\n\n");
        if (ep.has("points")) {
            md.append("ImleTrainer, preset ").append(ep.path("preset").asText()).append(", |S| = ")
                    .append(ep.path("examples_per_epoch").asInt()).append(", K = ").append(ep.path("steps_per_epoch").asInt())
                    .append(", sub-batch 1, ").append(ep.path("distance").asText()).append(".\n\n")
                    .append("| m | selection ms | K steps ms | step ms (median) | selection share | ms per candidate |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (JsonNode p : ep.path("points")) {
                row(md, p, "m", "selection_ms", "update_ms_total", "update_ms_median", "selection_share",
                        "selection_ms_per_candidate");
            }
        } else {
            md.append(skip(ep));
        }
        JsonNode sel = r.path("selection");
        if (sel.has("speedup")) {
            md.append("\nSelection, |S| = ").append(sel.path("examples").asInt()).append(", m = ").append(sel.path("m").asInt())
                    .append(": batched (").append(sel.path("selection_batch").asInt()).append(" candidates per forward, targets prepared once) **")
                    .append(fmt(sel.path("batched_ms").asDouble())).append(" ms** vs one at a time (reference) **")
                    .append(fmt(sel.path("one_at_a_time_ms").asDouble())).append(" ms**: speed-up **")
                    .append(fmt(sel.path("speedup").asDouble())).append("x**; same codes chosen: ")
                    .append(sel.path("codes_matching").asInt()).append(" of ").append(sel.path("examples").asInt())
                    .append(". Batched ms by candidates per forward: ").append(sel.path("batched_ms_by_selection_batch"))
                    .append(" (same codes at every size).\n");
        } else {
            md.append("\nSelection: ").append(skip(sel));
        }

        JsonNode g = r.path("growth");
        md.append("\n## 4. Cost growth (").append(g.path("isolation").asText("n/a")).append(")\n\n");
        if (g.has("resolution")) {
            md.append("| series | x | time ms | peak RSS MiB | peak over baseline MiB |\n|---|---|---|---|---|\n");
            for (String s : new String[] {"resolution", "m", "examples"}) {
                JsonNode series = g.path(s);
                for (JsonNode p : series.path("points")) {
                    md.append("| ").append(s).append(" (").append(p.path("preset").asText()).append(") | ")
                            .append(fmt(p.path("x").asDouble())).append(" | ").append(fmt(p.path("time_ms").asDouble()))
                            .append(" | ").append(fmt(p.path("peak_rss_mib").asDouble())).append(" | ")
                            .append(fmt(p.path("peak_over_baseline_mib").asDouble())).append(" |\n");
                }
            }
            md.append("\nLog-log slopes (cost ~ x^slope):\n\n");
            for (String s : new String[] {"resolution", "m", "examples"}) {
                JsonNode series = g.path(s);
                md.append("- ").append(series.path("workload").asText()).append(" vs ").append(series.path("x").asText())
                        .append(": time slope **").append(fmt(series.path("slope_time").asDouble()))
                        .append("**, memory slope ").append(fmt(series.path("slope_memory").asDouble())).append("\n");
            }
        } else {
            md.append(skip(g));
        }

        JsonNode k = r.path("kafka");
        md.append("\n## 5. Through Kafka vs direct: latency against throughput\n\n");
        if (k.has("presets")) {
            md.append(k.path("samples_per_request").asInt()).append(" samples per request; closed loop, each client sends "
                    + "its next request when the last is answered, ").append(k.path("seconds_per_point").asInt())
                    .append(" s per point. Echo: the same broker and client with no model (the transport's floor).");
            if (k.has("plot")) {
                md.append(" Plot: `").append(Path.of(k.path("plot").asText()).getFileName()).append("`.");
            }
            md.append("\n\n| preset | path | clients | p50 ms | p99 ms | samples/s |\n|---|---|---|---|---|---|\n");
            for (var e : (Iterable<Map.Entry<String, JsonNode>>) k.path("presets")::fields) {
                for (String path : new String[] {"echo", "direct", "direct_after_idle", "kafka", "kafka_two_generators"}) {
                    for (JsonNode p : e.getValue().path(path)) {
                        md.append("| ").append(e.getKey()).append(" | ").append(path.replace('_', ' ')).append(" | ")
                                .append(p.path("clients").asInt()).append(" | ").append(fmt(p.path("p50_ms").asDouble()))
                                .append(" | ").append(fmt(p.path("p99_ms").asDouble())).append(" | ")
                                .append(fmt(p.path("samples_per_s").asDouble())).append(" |\n");
                    }
                }
            }
            md.append("\n");
            for (var e : (Iterable<Map.Entry<String, JsonNode>>) k.path("presets")::fields) {
                JsonNode p = e.getValue();
                md.append("- ").append(e.getKey()).append(": one at a time, Kafka p50 - direct p50 = ")
                        .append(fmt(p.path("kafka_minus_direct_p50_ms").asDouble())).append(" ms (")
                        .append(fmt(p.path("overhead_over_echo").asDouble())).append("x the echo's ")
                        .append(fmt(p.path("echo_p50_ms").asDouble())).append(" ms), ratio ")
                        .append(fmt(p.path("latency_ratio").asDouble())).append("x");
                if (p.has("direct_after_idle")) {
                    md.append("; the direct call after ").append(p.path("idle_ms").asLong())
                            .append(" ms idle (a core that waited, as the service's does) p50 ")
                            .append(fmt(p.path("direct_after_idle").path(0).path("p50_ms").asDouble()))
                            .append(" ms, and Kafka p50 minus that = ")
                            .append(fmt(p.path("kafka_minus_idle_direct_p50_ms").asDouble())).append(" ms (")
                            .append(fmt(p.path("idle_overhead_over_echo").asDouble())).append("x the echo's)");
                }
                if (p.has("throughput_ratio_8plus")) {
                    md.append("; Kafka throughput at ").append(p.path("throughput_8plus_clients").asInt())
                            .append(" clients **").append(fmt(p.path("throughput_ratio_8plus").asDouble()))
                            .append("x** the one-at-a-time direct rate (p99 ")
                            .append(fmt(p.path("throughput_8plus_p99_ms").asDouble())).append(" ms)");
                }
                JsonNode split = p.path("kafka_one_at_a_time_split_ms");
                if (split.has("in_generator")) {
                    md.append("  Where one request's time goes (medians, ms): to the generator ")
                            .append(fmt(split.path("to_generator").asDouble())).append(", in it ")
                            .append(fmt(split.path("in_generator").asDouble())).append(" (planning and queue ")
                            .append(fmt(split.path("queue").asDouble())).append(", model ")
                            .append(fmt(split.path("model").asDouble())).append("), back to the client ")
                            .append(fmt(split.path("back_to_client").asDouble())).append(".\n");
                }
            }
        } else {
            md.append(skip(k));
        }

        JsonNode p = r.path("peer");
        md.append("\n## 6. PyTorch peer\n\n");
        if (p.has("ratio_ours_to_peer")) {
            md.append("Training step (forward + L1 + backward + Adam), preset ").append(p.path("preset").asText())
                    .append(", batch ").append(p.path("batch").asInt()).append(", ").append(p.path("threads").asInt())
                    .append(" threads: ours **").append(fmt(p.path("ours_step_ms").asDouble())).append(" ms**, PyTorch ")
                    .append(p.path("peer_torch_version").asText()).append(" **").append(fmt(p.path("peer_step_ms").asDouble()))
                    .append(" ms** (ratio ").append(fmt(p.path("ratio_ours_to_peer").asDouble())).append("); of which Adam: ours ")
                    .append(fmt(p.path("ours_adam_ms").asDouble())).append(" ms, peer ").append(fmt(p.path("peer_adam_ms").asDouble()))
                    .append(" ms; peer no-grad forward ")
                    .append(fmt(p.path("peer_forward_ms").asDouble())).append(" ms. Same parameters and input: max |ours - peer| = ")
                    .append(String.format("%.3g", p.path("forward_max_abs_diff").asDouble())).append(".\n");
        } else {
            md.append(skip(p));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, JsonNode p, String... keys) {
        md.append("|");
        for (String key : keys) {
            JsonNode v = p.path(key);
            md.append(" ").append(v.isNumber() ? fmt(v.asDouble()) : v.asText()).append(" |");
        }
        md.append("\n");
    }

    private static String skip(JsonNode n) {
        if (n.has("skipped")) {
            return "Skipped: " + n.path("skipped").asText() + "\n";
        }
        if (n.has("error")) {
            return "Failed: " + n.path("error").asText() + "\n";
        }
        return "Not run.\n";
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return Math.abs(v) >= 100 ? String.format("%.0f", v) : Math.abs(v) >= 10 ? String.format("%.1f", v)
                : String.format("%.3g", v);
    }
}
