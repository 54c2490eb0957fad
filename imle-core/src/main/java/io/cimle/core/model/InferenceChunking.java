package io.cimle.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many samples one no-grad forward runs at a time. On a CPU the refinement modules' elementwise
 * work (layer norm, activation, resize, concat) is memory-bound: once a batch's activations outgrow
 * the last-level cache, each sample costs more than in a smaller batch. Running a large batch as
 * cache-sized chunks keeps the per-sample cost of the best batch for every larger one. A GPU keeps
 * whole batches (its memory bandwidth is what large batches are for). How the chunk nests in a
 * sampler's micro-batches: {@link Sampler}.
 */
public final class InferenceChunking {
    /** No splitting. */
    public static final int WHOLE = Integer.MAX_VALUE;
    private static final Path CPU_CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");

    private InferenceChunking() {
    }

    /** The host's cache, read from sysfs once (every network asks at creation). */
    private static final class HostCache {
        static final long LAST_LEVEL_BYTES = lastLevelCacheBytes(CPU_CACHES);
    }

    /** The chunk for this model on this device: the largest power of two whose working set fits the cache. */
    public static int auto(ModelConfig config, Device device) {
        if (device.isGpu()) {
            return WHOLE;
        }
        long cache = HostCache.LAST_LEVEL_BYTES;
        return cache <= 0 ? WHOLE : forCache(config, cache);
    }

    /** What {@link #calibrate} measured: the chosen chunk and ms per sample at each batch tried. */
    public record Calibration(int chunk, SortedMap<Integer, Double> msPerSample) {
    }

    /**
     * Times no-grad forwards of this network at batch 1, 2, 4 ... {@code maxBatch} in interleaved
     * rounds and keeps the batch with the least time per sample as its chunk, so every larger batch
     * runs at that per-sample cost (never more). Measuring beats a cache model: which batch is best
     * depends on the CPU, its neighbours on a shared host and the model. Growth stops at a batch whose
     * single forward exceeds {@code budget} (a large preset on a CPU may take that long for one sample).
     * The network's chunk is left as it was; apply the result with {@link GeneratorNetwork#setInferenceChunk}.
     */
    public static Calibration calibrate(GeneratorNetwork net, int maxBatch, Duration budget) {
        int saved = net.inferenceChunk();
        net.setInferenceChunk(0);
        SortedMap<Integer, Double> best = new TreeMap<>();
        try (NDManager m = net.manager().newSubManager()) {
            List<Integer> batches = new ArrayList<>();
            for (int b = 1; b <= Math.max(1, maxBatch); b *= 2) {
                double ms = forwardMs(net, m, b); // warm-up, and the budget check
                batches.add(b);
                if (ms > budget.toMillis()) {
                    break;
                }
            }
            for (int round = 0; round < 3; round++) {
                for (int b : batches) {
                    best.merge(b, forwardMs(net, m, b) / b, Math::min);
                }
            }
        } finally {
            net.setInferenceChunk(saved == WHOLE ? 0 : saved);
        }
        int chunk = best.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return new Calibration(chunk, best);
    }

    private static double forwardMs(GeneratorNetwork net, NDManager parent, int batch) {
        ModelConfig c = net.config();
        try (NDManager m = parent.newSubManager()) {
            NDArray layout = m.zeros(new Shape(batch, c.channels(), c.height(),
                    c.width()));
            NDArray noise = net.zeroNoise(m, batch);
            NDArray parts = m.zeros(net.block().partsShape(batch));
            long t = System.nanoTime();
            NDArray out = net.forward(layout, noise, parts, false);
            out.toFloatArray(); // waits for the device
            return (System.nanoTime() - t) / 1e6;
        }
    }

    static int forCache(ModelConfig config, long cacheBytes) {
        long fits = Math.max(1, Math.min(cacheBytes / workingSetBytesPerSample(config), 1 << 30));
        return (int) Long.highestOneBit(fits);
    }

    /**
     * Bytes one sample keeps live in the busiest refinement module: its input (upsampled features,
     * layout, code channels) and about three outputs' worth (conv, norm, activation), float32.
     */
    static long workingSetBytesPerSample(ModelConfig config) {
        long worst = 0;
        int previous = 0;
        for (int i = 0; i < config.moduleCount(); i++) {
            long pixels = (long) config.moduleHeight(i) * config.moduleWidth(i);
            long in = previous + config.channels() + config.noiseChannels();
            worst = Math.max(worst, 4 * pixels * (in + 3L * config.moduleChannels(i)));
            previous = config.moduleChannels(i);
        }
        return Math.max(1, worst);
    }

    /** Size of the highest cache level cpu0 reports under {@code caches} (Linux sysfs), or 0 if unknown. */
    static long lastLevelCacheBytes(Path caches) {
        long best = 0;
        int bestLevel = -1;
        try (var dirs = Files.list(caches)) {
            for (Path d : (Iterable<Path>) dirs.filter(p -> p.getFileName().toString().startsWith("index"))::iterator) {
                int level = Integer.parseInt(Files.readString(d.resolve("level")).trim());
                String type = Files.readString(d.resolve("type")).trim().toLowerCase(Locale.ROOT);
                if (type.equals("instruction")) {
                    continue;
                }
                long size = parseSize(Files.readString(d.resolve("size")).trim());
                if (level > bestLevel) {
                    bestLevel = level;
                    best = size;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return best;
    }

    static long parseSize(String s) {
        String t = s.toUpperCase(Locale.ROOT);
        long unit = t.endsWith("K") ? 1024 : t.endsWith("M") ? 1024 * 1024 : t.endsWith("G") ? 1024L * 1024 * 1024 : 1;
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        return Long.parseLong(digits.trim()) * unit;
    }
}
