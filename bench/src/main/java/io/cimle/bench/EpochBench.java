package io.cimle.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.data.Example;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.ImleTrainer;
import io.cimle.core.training.TrainingListener;
import io.cimle.core.training.TrainingProgress;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.DistanceConfig;
import io.cimle.core.training.distance.Distances;
import java.util.ArrayList;
import java.util.List;

/** One IMLE epoch of the real {@link ImleTrainer}: selection time vs the K gradient steps. */
final class EpochBench {
    private EpochBench() {
    }

    /** What one epoch cost, as the trainer's listener reports it. */
    record EpochCost(double selectionMs, double updateMsTotal, double updateMsMedian, int steps) {
        double totalMs() {
            return selectionMs + updateMsTotal;
        }
    }

    /**
     * The bench's IMLE settings: the reference's defaults but small S and K, one epoch, no rarity
     * rebalancing (its statistics are fitted once per run and are not what is measured here).
     */
    static ImleConfig config(int examples, int m, int k) {
        return ImleConfig.REFERENCE.withExamples(examples).withCandidates(m).withSteps(k)
                .withEpochs(1).withSubBatch(1).withRebalancing(false, false);
    }

    /** Runs one epoch with a fresh network (init seed 1) and returns its cost. */
    static EpochCost epoch(ModelConfig model, List<Example> data, ImleConfig config, Device device) {
        List<Double> updates = new ArrayList<>();
        double[] selection = {0};
        try (GeneratorNetwork net = GeneratorNetwork.create(model, device, 1);
             Distance distance = Distances.create(DistanceConfig.defaults(), device);
             ImleTrainer trainer = new ImleTrainer(net, distance, data, null, config)) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(TrainingProgress progress, long step, double loss, double selectionMs,
                                   double updateMs) {
                    selection[0] = selectionMs;
                    updates.add(updateMs);
                }
            });
            trainer.train();
        }
        double total = updates.stream().mapToDouble(Double::doubleValue).sum();
        return new EpochCost(selection[0], total, Stats.median(updates), updates.size());
    }

    static ObjectNode run(String preset, int examples, int k, List<Integer> ms, Device device) {
        ModelConfig model = Workloads.preset(preset);
        List<Example> data = Workloads.examples(model, examples);
        epoch(model, data, config(Math.min(2, examples), 2, 3), device); // warm-up: first-call kernels
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("preset", preset);
        n.put("examples_per_epoch", examples);
        n.put("steps_per_epoch", k);
        n.put("sub_batch", 1);
        n.put("distance", "pyramid-l1 (default)");
        ArrayNode points = n.putArray("points");
        for (int m : ms) {
            EpochCost c = epoch(model, data, config(examples, m, k), device);
            ObjectNode p = points.addObject();
            p.put("m", m);
            p.put("selection_ms", Stats.round(c.selectionMs(), 2));
            p.put("update_ms_total", Stats.round(c.updateMsTotal(), 2));
            p.put("update_ms_median", Stats.round(c.updateMsMedian(), 3));
            p.put("selection_share", Stats.round(c.selectionMs() / c.totalMs(), 3));
            p.put("selection_ms_per_candidate", Stats.round(c.selectionMs() / (examples * (double) m), 3));
            System.err.println("  epoch " + p);
        }
        return n;
    }
}
