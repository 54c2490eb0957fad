package io.cimle.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.model.FlopCounter;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.InferenceChunking;
import io.cimle.core.model.ModelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Generator forward (no-grad, as sampling runs it) per preset and batch, against the matmul limit. */
final class ForwardBench {
    private ForwardBench() {
    }

    /**
     * Every batch of a preset is timed in interleaved rounds (batch 1, 2, ... 32, then again), so a load
     * change on the shared host weighs on every batch alike and the per-sample comparison across
     * batches holds within the run.
     */
    static ArrayNode run(List<String> presets, List<Integer> batches, Device device, Stats.Repeats repeats,
                         double matmulGflops) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (String preset : presets) {
            ModelConfig c = Workloads.preset(preset);
            try (GeneratorNetwork net = GeneratorNetwork.create(c, device, 1);
                 NDManager inputs = net.manager().newSubManager()) {
                // As the generator service loads a model: the chunk measured cheapest per sample, up to 16.
                var calibration = InferenceChunking.calibrate(net, 16, Duration.ofSeconds(1));
                net.setInferenceChunk(calibration.chunk());
                System.err.printf("  forward %-6s chunk %d (calibration ms/sample %s)%n", preset, calibration.chunk(),
                        calibration.msPerSample());
                List<NDArray[]> x = new ArrayList<>();
                List<List<Double>> ms = new ArrayList<>();
                for (int batch : batches) {
                    x.add(Workloads.inputs(net, batch, inputs));
                    ms.add(new ArrayList<>());
                }
                for (int round = -repeats.warmup(); round < repeats.max(); round++) {
                    for (int b = 0; b < batches.size(); b++) {
                        double t = once(net, x.get(b));
                        if (round >= 0) {
                            ms.get(b).add(t);
                        }
                    }
                }
                for (int b = 0; b < batches.size(); b++) {
                    rows.add(row(net, batches.get(b), ms.get(b), matmulGflops));
                    System.err.printf("  forward %-6s batch %2d: %s%n", preset, batches.get(b), rows.get(rows.size() - 1));
                }
            }
        }
        return rows;
    }

    private static double once(GeneratorNetwork net, NDArray[] x) {
        try (NDManager sub = net.manager().newSubManager()) {
            // Outputs and intermediates land in the inputs' manager: give each repeat its own copy.
            NDArray layout = Workloads.copyInto(x[0], sub);
            NDArray noise = Workloads.copyInto(x[1], sub);
            long t = System.nanoTime();
            NDArray out = net.forward(layout, noise, false); // (B, 3, H, W)
            Workloads.sync(out);
            return Stats.msSince(t);
        }
    }

    private static ObjectNode row(GeneratorNetwork net, int batch, List<Double> ms, double matmulGflops) {
        double median = Stats.median(ms);
        double gflops = (double) FlopCounter.forwardFlops(net.config()) * batch / median / 1e6;
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("preset", net.config().presetName());
        n.put("inference_chunk", net.inferenceChunk() == InferenceChunking.WHOLE ? 0 : net.inferenceChunk());
        n.put("batch", batch);
        n.put("ms_median", Stats.round(median, 3));
        n.put("samples_per_s", Stats.round(batch * 1000.0 / median, 2));
        n.put("gflops", Stats.round(gflops, 2));
        n.put("ratio_to_matmul", matmulGflops > 0 ? Stats.round(gflops / matmulGflops, 3) : Double.NaN);
        n.put("gflop_per_sample", Stats.round(FlopCounter.forwardFlops(net.config()) / 1e9, 4));
        n.put("repeats", ms.size());
        return n;
    }
}
