package io.cimle.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.data.Example;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.GradMode;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.LayoutTensors;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.training.NearestCodeSelector;
import io.cimle.core.training.RegionalSelection;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.DistanceConfig;
import io.cimle.core.training.distance.Distances;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * IMLE's selection phase two ways, on the same seeds: batched (several examples' candidates per
 * no-grad forward, each target's features prepared once: the trainer's {@link NearestCodeSelector}) and
 * one at a time (one candidate forward and one
 * full distance per sample, target features recomputed each time: what the reference code does).
 */
final class SelectionBench {
    private final GeneratorNetwork net;
    private final Distance distance;
    private final List<Example> data;
    private final int m;

    SelectionBench(GeneratorNetwork net, Distance distance, List<Example> data, int m) {
        this.net = net;
        this.distance = distance;
        this.data = data;
        this.m = m;
    }

    static ObjectNode run(String preset, int examples, int m, int selectionBatch, Device device,
                          Stats.Repeats repeats) {
        ModelConfig model = Workloads.preset(preset);
        List<Example> data = Workloads.examples(model, examples);
        long[] seeds = new SplittableRandom(7).longs((long) examples * m).toArray();
        try (GeneratorNetwork net = GeneratorNetwork.create(model, device, 1);
             Distance distance = Distances.create(DistanceConfig.defaults(), device)) {
            SelectionBench s = new SelectionBench(net, distance, data, m);
            long[][] kept = new long[2][];
            // Interleaved (warm-up pair, then pairs): a load change on the shared host hits both variants.
            List<Double> batched = new ArrayList<>();
            List<Double> single = new ArrayList<>();
            List<Double> regional = new ArrayList<>();
            // Smaller selection batches too: on a CPU the forward's per-sample speed peaks at small batches.
            List<Integer> sweep = List.of(4, 8, 16);
            Map<Integer, List<Double>> bySize = new TreeMap<>();
            for (int i = 0; i < repeats.warmup() + repeats.min(); i++) {
                long t = System.nanoTime();
                kept[0] = s.batched(seeds, selectionBatch);
                double b = Stats.msSince(t);
                t = System.nanoTime();
                s.regional(seeds, selectionBatch);
                double reg = Stats.msSince(t);
                for (int size : sweep) {
                    long ts = System.nanoTime();
                    long[] k = s.batched(seeds, size);
                    double ms = Stats.msSince(ts);
                    if (i >= repeats.warmup()) {
                        bySize.computeIfAbsent(size, x -> new ArrayList<>()).add(ms);
                    }
                    if (!Arrays.equals(k, kept[0])) {
                        throw new IllegalStateException("selection batch " + size + " kept other codes than batch "
                                + selectionBatch);
                    }
                }
                t = System.nanoTime();
                kept[1] = s.oneAtATime(seeds);
                double one = Stats.msSince(t);
                if (i >= repeats.warmup()) {
                    batched.add(b);
                    single.add(one);
                    regional.add(reg);
                }
            }
            int same = 0;
            for (int e = 0; e < examples; e++) {
                same += kept[0][e] == kept[1][e] ? 1 : 0;
            }
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("preset", preset);
            n.put("examples", examples);
            n.put("m", m);
            n.put("selection_batch", selectionBatch);
            n.put("batched_ms", Stats.round(Stats.median(batched), 2));
            n.put("one_at_a_time_ms", Stats.round(Stats.median(single), 2));
            n.put("speedup", Stats.round(Stats.median(single) / Stats.median(batched), 2));
            n.put("regional_ms", Stats.round(Stats.median(regional), 2));
            n.put("regional_vs_flat", Stats.round(Stats.median(regional) / Stats.median(batched), 2));
            ObjectNode sizes = n.putObject("batched_ms_by_selection_batch");
            sizes.put(Integer.toString(selectionBatch), Stats.round(Stats.median(batched), 2));
            bySize.forEach((size, ms) -> sizes.put(Integer.toString(size), Stats.round(Stats.median(ms), 2)));
            n.put("same_codes", same == examples);
            n.put("codes_matching", same);
            n.put("repeats", batched.size());
            return n;
        }
    }

    /** Regional selection on the same seeds (m candidates in all, one forward more per example). */
    void regional(long[] seeds, int batch) {
        GradMode.withoutGradients(() -> new RegionalSelection(new NearestCodeSelector(net, distance, batch), net.config(), 0)
                .select(targets(seeds), seeds, m, v -> v));
    }

    /** The trainer's way ({@link NearestCodeSelector}): candidates in batches of {@code batch}, each target prepared once. */
    long[] batched(long[] seeds, int batch) {
        return new NearestCodeSelector(net, distance, batch).keepNearest(targets(seeds), seeds, m);
    }

    private NearestCodeSelector.Targets targets(long[] seeds) {
        List<Example> used = data.subList(0, seeds.length / m);
        return NearestCodeSelector.Targets.unweighted(used.stream().map(Example::layout).toList(),
                used.stream().map(Example::photo).toList());
    }

    /** The reference's way: per sample one forward of batch 1 and one full distance with the target. */
    long[] oneAtATime(long[] seeds) {
        float[] d = new float[seeds.length];
        for (int c = 0; c < seeds.length; c++) {
            Example e = data.get(c / m);
            try (NDManager sub = net.manager().newSubManager()) {
                NDArray image = ImageTensors.to255(net.forward(LayoutTensors.oneHot(sub, List.of(e.layout())),
                        net.noiseFor(List.of(code(seeds[c])), sub), false)); // (1, 3, H, W)
                d[c] = distance.perSample(image, ImageTensors.pixels255(sub, List.of(e.photo())), null).getFloat(0);
            }
        }
        return NearestCodeSelector.nearest(seeds, d, m);
    }

    private LatentCode code(long seed) {
        return LatentCode.fromSeed(seed, LatentCodes.shapeFor(net.config()));
    }
}
