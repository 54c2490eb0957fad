package io.cimle.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.data.Example;
import io.cimle.core.model.ModelConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * How cost grows with output resolution, m and |S|. Each point runs in its own JVM (unless told
 * otherwise) so its peak resident memory (VmHWM) is its own and not the high-water mark of
 * everything before it.
 */
final class GrowthBench {
    static final String POINT_PREFIX = "BENCH-POINT ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GrowthBench() {
    }

    /** One measured point: an IMLE epoch ({@code k} > 0) or the selection phase only ({@code k} = 0). */
    record Point(String preset, int examples, int m, int k) {
        String arg() {
            return preset + "," + examples + "," + m + "," + k;
        }

        static Point parse(String s) {
            String[] p = s.split(",");
            if (p.length != 4) {
                throw new IllegalArgumentException("growth point must be preset,S,m,K; got '" + s + "'");
            }
            return new Point(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
        }
    }

    static ObjectNode run(BenchOptions o) {
        boolean q = o.quick();
        int s = q ? 2 : 8;
        int m = q ? 2 : 10;
        int k = q ? 2 : 8;
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("isolation", o.childJvm() ? "child JVM per point" : "in-process (peaks accumulate)");
        List<Point> resolution = new ArrayList<>();
        for (String p : o.presets()) {
            resolution.add(new Point(p, s, m, k));
        }
        series(n, "resolution", "pixels (H*W)", "one IMLE epoch (S=" + s + ", m=" + m + ", K=" + k + ")", resolution,
                p -> (double) Workloads.preset(p.preset()).height() * Workloads.preset(p.preset()).width(), o);
        List<Point> ms = new ArrayList<>();
        for (int v : q ? List.of(1, 2, 4) : List.of(1, 10, 30)) {
            ms.add(new Point("small", s, v, k));
        }
        series(n, "m", "m", "one IMLE epoch at small (S=" + s + ", K=" + k + ")", ms, p -> (double) p.m(), o);
        List<Point> ss = new ArrayList<>();
        for (int v : q ? List.of(2, 4, 8) : List.of(8, 32, 128)) {
            ss.add(new Point("small", v, m, 0));
        }
        series(n, "examples", "|S|", "selection phase at small (m=" + m + ")", ss, p -> (double) p.examples(), o);
        return n;
    }

    private static void series(ObjectNode parent, String name, String xName, String what, List<Point> points,
                               ToDoubleFunction<Point> x, BenchOptions o) {
        ObjectNode s = parent.putObject(name);
        s.put("x", xName);
        s.put("workload", what);
        ArrayNode rows = s.putArray("points");
        double[] xs = new double[points.size()];
        double[] ts = new double[points.size()];
        double[] mem = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            ObjectNode r = o.childJvm() ? inChild(p, o) : measure(p, o.device(), o.quick() ? 1 : 3);
            r.put("x", x.applyAsDouble(p));
            rows.add(r);
            xs[i] = x.applyAsDouble(p);
            ts[i] = r.path("time_ms").asDouble();
            mem[i] = r.path("peak_over_baseline_mib").asDouble();
            System.err.println("  growth " + name + " " + r);
        }
        s.put("slope_time", Stats.round(Stats.logLogSlope(xs, ts), 2));
        s.put("slope_memory", Stats.round(Stats.logLogSlope(xs, mem), 2));
    }

    /**
     * Runs the point here, {@code runs} times after a warm-up epoch; time is the median, peak memory
     * this JVM's high-water mark over the resident set after warm-up.
     */
    static ObjectNode measure(Point p, Device device, int runs) {
        ModelConfig model = Workloads.preset(p.preset());
        List<Example> data = Workloads.examples(model, p.examples());
        EpochBench.epoch(model, data, EpochBench.config(Math.min(2, p.examples()), Math.min(2, p.m()), 2), device);
        double baseline = Workloads.memoryMiB()[1];
        List<Double> times = new ArrayList<>();
        List<Double> selection = new ArrayList<>();
        List<Double> updates = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            EpochBench.EpochCost c = EpochBench.epoch(model, data, EpochBench.config(p.examples(), p.m(),
                    Math.max(1, p.k())), device);
            times.add(p.k() == 0 ? c.selectionMs() : c.totalMs());
            selection.add(c.selectionMs());
            updates.add(p.k() == 0 ? 0 : c.updateMsTotal());
        }
        double peak = Workloads.memoryMiB()[0];
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("preset", p.preset());
        r.put("examples", p.examples());
        r.put("m", p.m());
        r.put("k", p.k());
        r.put("runs", runs);
        r.put("time_ms", Stats.round(Stats.median(times), 2));
        r.put("selection_ms", Stats.round(Stats.median(selection), 2));
        r.put("update_ms_total", Stats.round(Stats.median(updates), 2));
        r.put("peak_rss_mib", Stats.round(peak, 1));
        r.put("baseline_rss_mib", Stats.round(baseline, 1));
        r.put("peak_over_baseline_mib", Stats.round(Math.max(0.1, peak - baseline), 1));
        return r;
    }

    /** Runs the point in a fresh JVM with this one's class path, properties and environment. */
    private static ObjectNode inChild(Point p, BenchOptions o) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String prop : List.of("ai.djl.offline", "DJL_CACHE_DIR")) {
            if (System.getProperty(prop) != null) {
                cmd.add("-D" + prop + "=" + System.getProperty(prop));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchMain.class.getName());
        cmd.add("--point=" + p.arg());
        if (o.quick()) {
            cmd.add("--quick");
        }
        cmd.add("--threads=" + Workloads.threads());
        if (o.gpu()) {
            cmd.add("--device=gpu");
        }
        try {
            Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            ObjectNode result = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith(POINT_PREFIX)) {
                        result = (ObjectNode) JSON.readTree(line.substring(POINT_PREFIX.length()));
                    }
                }
            }
            if (!proc.waitFor(10, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
            }
            if (result == null) {
                throw new IllegalStateException("growth point " + p.arg() + " in a child JVM gave no result (exit "
                        + proc.exitValue() + ")");
            }
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a child JVM for growth point " + p.arg(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
