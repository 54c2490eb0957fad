package io.cimle.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.cimle.core.data.ClassMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Parameter count, estimated FLOPs and forward time per sample for the presets, plus peak RSS.
 * Run: {@code java ... io.cimle.core.model.GeneratorBenchmark [device] [paperTimeoutSeconds]}
 * with ONEDNN_MAX_CPU_ISA=AVX2 and -Dai.djl.offline=true.
 */
public final class GeneratorBenchmark {
    private static final int CHANNELS = 20; // Cityscapes: 19 classes + void

    public static void main(String[] args) throws Exception {
        Device device = Device.fromName(args.length > 0 ? args[0] : "cpu");
        long paperTimeout = args.length > 1 ? Long.parseLong(args[1]) : 120;
        run(device, paperTimeout); // prints each line as it is measured
    }

    public static List<String> run(Device device, long paperTimeoutSeconds) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-7s %-5s %12s %12s %12s %10s %10s", "preset", "batch", "params",
                "GFLOP/sample", "ms/sample", "GFLOP/s", "VmHWM MiB"));
        System.out.println(lines.get(0));
        for (ModelConfig config : List.of(Presets.tiny(CHANNELS), Presets.small(CHANNELS), Presets.medium(CHANNELS))) {
            for (int batch : new int[] {1, 8}) {
                lines.add(measure(config, device, batch, 5));
                System.out.println(lines.get(lines.size() - 1));
            }
        }
        ModelConfig paper = Presets.paper(CHANNELS);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "paper-benchmark");
            t.setDaemon(true); // a run past the timeout must not keep the JVM alive
            return t;
        });
        Future<String> future = executor.submit(() -> measure(paper, device, 1, 1));
        try {
            lines.add(future.get(paperTimeoutSeconds, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            lines.add(String.format(Locale.ROOT, "%-7s %-5d %12d %12.1f  skipped: no result within %d s", "paper", 1,
                    FlopCounter.parameterCount(paper), FlopCounter.forwardFlops(paper) / 1e9, paperTimeoutSeconds));
        } catch (Exception | OutOfMemoryError e) {
            lines.add(String.format(Locale.ROOT, "%-7s %-5d %12d %12.1f  skipped: %s", "paper", 1,
                    FlopCounter.parameterCount(paper), FlopCounter.forwardFlops(paper) / 1e9, e));
        }
        System.out.println(lines.get(lines.size() - 1));
        executor.shutdownNow();
        return lines;
    }

    /** Warm-up once, then the median of {@code repeats} timed forward passes without gradients. */
    static String measure(ModelConfig config, Device device, int batch, int repeats) {
        try (GeneratorNetwork net = GeneratorNetwork.create(config, device)) {
            ClassMap layout = layout(config);
            List<LatentCode> codes = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                codes.add(LatentCodes.sample(config, 1, i));
            }
            JniUtils.setGradMode(false);
            long[] times = new long[repeats];
            for (int r = -1; r < repeats; r++) {
                try (NDManager m = net.manager().newSubManager()) {
                    NDArray x = LayoutTensors.oneHot(m, Collections.nCopies(batch, layout));
                    NDArray z = net.noiseFor(codes, m);
                    long start = System.nanoTime();
                    NDArray out = net.forward(x, z, false);
                    out.toFloatArray(); // forces completion on asynchronous devices
                    long elapsed = System.nanoTime() - start;
                    if (r >= 0) {
                        times[r] = elapsed;
                    }
                }
            }
            Arrays.sort(times);
            double msPerSample = times[repeats / 2] / 1e6 / batch;
            double gflop = FlopCounter.forwardFlops(config) / 1e9;
            return String.format(Locale.ROOT, "%-7s %-5d %12d %12.2f %12.1f %10.1f %10d", config.presetName(), batch,
                    net.parameterCount(), gflop, msPerSample, gflop / (msPerSample / 1e3), peakRssMiB());
        }
    }

    private static ClassMap layout(ModelConfig config) {
        int w = config.width();
        int h = config.height();
        int[] ids = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ids[y * w + x] = ((y * 4 / h) * 5 + (x * 5 / w)) % config.channels();
            }
        }
        return new ClassMap(w, h, config.channels(), ids);
    }

    /** Peak resident set (VmHWM) of this process in MiB, or -1 where /proc is missing. */
    static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
