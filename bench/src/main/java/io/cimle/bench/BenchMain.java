package io.cimle.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.model.GeneratorNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./cimle bench}: the speed and cost numbers of the project in one run, printed, and written
 * as {@code bench.json} and {@code bench.md}. Every figure is a median over repeats after warm-up,
 * and ratios are measured within the same run (the host is shared and noisy).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = ToyBench.class,
        description = "Measures matmul limit, generator forward, IMLE epoch split, selection, cost growth, "
                + "Kafka overhead and a PyTorch peer; writes <out>/bench.json and <out>/bench.md. "
                + "'bench toy' compares IMLE with its baselines on toy scenes.")
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--quick", description = "Small sizes, few repeats (a smoke run of every section).")
    boolean quick;

    @Option(names = "--paper", description = "Also time the paper preset's forward at batch 1 (~18 s, 8 GiB on CPU).")
    boolean paper;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--out", defaultValue = "bench-results", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--sections", split = ",", description = "Subset of: matmul, forward, epoch, selection, growth, "
            + "kafka, peer (default all).")
    List<String> sections;

    @Option(names = "--in-process", description = "Run growth points in this JVM (peak memory then accumulates).")
    boolean inProcess;

    @Option(names = "--kafka-seconds", description = "Kafka section: seconds per curve point are a fifth of this, "
            + "at least 3 (default 30; quick: 2 s per point).")
    Integer kafkaSeconds;

    @Option(names = "--kafka-presets", split = ",", description = "Presets of the Kafka section's latency-throughput "
            + "curves; medium, when listed with others, gets only the one-request-at-a-time point (default tiny,small,"
            + "medium; quick: tiny).")
    List<String> kafkaPresets;

    @Option(names = "--root", defaultValue = ".", description = "Repository root (default ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--threads", description = "libtorch intra-op threads for this run, its child JVMs, the "
            + "service and the peer (default: libtorch's own choice, one per core).")
    Integer threads;

    @Option(names = "--point", hidden = true, description = "Internal: measure one growth point and print it.")
    String point;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean gpu = switch (device.toLowerCase(Locale.ROOT)) {
            case "cpu" -> false;
            case "gpu", "cuda" -> true;
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--device must be cpu or gpu, got '" + device + "'");
        };
        if (threads != null) {
            if (threads < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be >= 1, got " + threads);
            }
            Engine.getEngine("PyTorch");
            JniUtils.setNumThreads(threads);
        }
        if (point != null) { // child JVM of the growth section
            ObjectNode r = GrowthBench.measure(GrowthBench.Point.parse(point), gpu ? Device.gpu() : Device.cpu(),
                    quick ? 1 : 3);
            System.out.println(GrowthBench.POINT_PREFIX + r);
            return 0;
        }
        Set<String> chosen = new LinkedHashSet<>(sections == null ? BenchOptions.ALL_SECTIONS : sections);
        Stats.Repeats repeats = quick ? new Stats.Repeats(1, 2, 3, 300) : new Stats.Repeats(2, 5, 9, 3000);
        BenchOptions o = new BenchOptions(quick, paper, gpu, chosen, out, repeats, !inProcess,
                kafkaSeconds != null ? kafkaSeconds : quick ? 5 : 30,
                kafkaPresets != null ? kafkaPresets : quick ? List.of("tiny") : List.of("tiny", "small", "medium"), root,
                "small");
        ObjectNode report = run(o);
        write(report, o.out());
        System.out.println(Report.markdown(report));
        System.err.println("bench: wrote " + o.out().resolve("bench.json") + " and " + o.out().resolve("bench.md"));
        return 0;
    }

    /** Runs the chosen sections; a failing section is recorded as {"error": ...} and the rest still run. */
    public static ObjectNode run(BenchOptions o) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        ObjectNode meta = r.putObject("meta");
        meta.put("started", Instant.now().toString());
        meta.put("quick", o.quick());
        meta.put("device", o.gpu() ? "gpu" : "cpu");
        meta.put("cpus", Runtime.getRuntime().availableProcessors());
        meta.put("torch_threads", Workloads.threads());
        meta.put("java", System.getProperty("java.version"));
        meta.put("onednn_max_cpu_isa", String.valueOf(System.getenv("ONEDNN_MAX_CPU_ISA")));
        meta.put("load_average_at_start", loadAverage());
        Device device = o.device();
        double limit = 0;
        if (o.runs("matmul")) {
            section(r, "matmul", () -> MatmulBench.run(2048, device, o.repeats()));
            limit = r.path("matmul").path("gflops").asDouble(0);
        }
        double matmulGflops = limit;
        if (o.runs("forward")) {
            section(r, "forward", () -> {
                ObjectNode f = JsonNodeFactory.instance.objectNode();
                f.set("points", ForwardBench.run(o.presets(), o.batches(), device, o.repeats(), matmulGflops));
                if (o.paper()) {
                    f.set("paper", ForwardBench.run(List.of("paper"), List.of(1), device,
                            new Stats.Repeats(1, 1, 2, 0), matmulGflops));
                }
                String largest = o.presets().get(o.presets().size() - 1);
                try (GeneratorNetwork net = GeneratorNetwork.create(Workloads.preset(largest), device, 1)) {
                    f.set("profile", ForwardProfile.run(net, 8, o.repeats()));
                }
                return f;
            });
        }
        int examples = o.quick() ? 4 : 16;
        if (o.runs("epoch")) {
            section(r, "epoch", () -> EpochBench.run(o.trainPreset(), examples, o.quick() ? 2 : 10,
                    List.of(1, 10, 30), device));
        }
        if (o.runs("selection")) {
            section(r, "selection", () -> SelectionBench.run(o.trainPreset(), examples, 10, 40, device,
                    o.quick() ? new Stats.Repeats(0, 1, 1, 0) : new Stats.Repeats(1, 3, 3, 0)));
        }
        if (o.runs("growth")) {
            section(r, "growth", () -> GrowthBench.run(o));
        }
        if (o.runs("kafka")) {
            section(r, "kafka", () -> KafkaBench.run(o));
        }
        if (o.runs("peer")) {
            section(r, "peer", () -> PeerBench.run(o, o.trainPreset(), o.quick() ? 2 : 8));
        }
        meta.put("finished", Instant.now().toString());
        r.set("targets", Report.targets(r));
        return r;
    }

    private interface Section {
        Object get() throws Exception;
    }

    private static void section(ObjectNode report, String name, Section s) {
        System.err.println("bench: " + name + " ...");
        long t = System.nanoTime();
        try {
            Object v = s.get();
            report.set(name, (JsonNode) v);
        } catch (Exception | Error e) {
            e.printStackTrace();
            report.putObject(name).put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        System.err.printf("bench: %s done in %.1f s%n", name, Stats.msSince(t) / 1000);
    }

    static void write(ObjectNode report, Path out) throws IOException {
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(out.resolve("bench.json"), json.writeValueAsString(report));
        Files.writeString(out.resolve("bench.md"), Report.markdown(report));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
