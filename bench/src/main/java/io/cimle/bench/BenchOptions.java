package io.cimle.bench;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What one bench run measures and how hard it tries.
 *
 * @param quick        small sizes and few repeats: a smoke run of every section in about two minutes
 * @param paper        also time the paper preset's forward at batch 1 (~18 s and 8 GiB on a CPU)
 * @param gpu          run the model on the first GPU (matmul, forward, epoch, selection, peer step)
 * @param sections     which sections to run; see {@link #ALL_SECTIONS}
 * @param out          folder for bench.json, bench.md and the peer's exchange files
 * @param repeats      warm-up and repeat counts for timed loops
 * @param childJvm     run growth points in child JVMs (peak memory per point) instead of in-process
 * @param kafkaSeconds length of the steady-rate Kafka phase
 * @param kafkaPresets presets of the Kafka section's curves (the last one gets the one-at-a-time point only)
 * @param root         repository root (finds generator-service/target and scripts/torch_peer.py)
 * @param trainPreset  preset of the epoch, selection, peer and m/|S| growth measurements (small)
 */
record BenchOptions(boolean quick, boolean paper, boolean gpu, Set<String> sections, Path out, Stats.Repeats repeats,
                    boolean childJvm, int kafkaSeconds, List<String> kafkaPresets, Path root,
                    String trainPreset) {
    static final List<String> ALL_SECTIONS = List.of("matmul", "forward", "epoch", "selection", "growth", "kafka",
            "peer");

    BenchOptions {
        for (String s : sections) {
            if (!ALL_SECTIONS.contains(s)) {
                throw new IllegalArgumentException("unknown bench section '" + s + "'; valid: "
                        + String.join(", ", ALL_SECTIONS));
            }
        }
        if (kafkaSeconds < 1) {
            throw new IllegalArgumentException("kafka seconds must be >= 1, got " + kafkaSeconds);
        }
    }

    boolean runs(String section) {
        return sections.contains(section);
    }

    Device device() {
        return gpu ? Device.gpu() : Device.cpu();
    }

    /** Presets of the forward section and the resolution growth points. */
    List<String> presets() {
        return quick ? List.of("tiny", "small") : List.of("tiny", "small", "medium");
    }

    List<Integer> batches() {
        return quick ? List.of(1, 8) : List.of(1, 2, 4, 8, 16, 32);
    }
}
