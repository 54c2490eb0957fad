package io.cimle.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Resize;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Where a forward's time goes: the CRN forward re-run op by op from the network's own parameters
 * with a timer per kind of op (conv, layer norm, activation, resize, concat). Checked against the
 * real forward (max abs diff) so the split describes the same computation. CPU ops are synchronous,
 * so per-op wall time is the op's cost.
 */
final class ForwardProfile {
    private static final Shape ONE = new Shape(1, 1);
    private static final Shape NO_PAD = new Shape(0, 0);

    private final Map<String, NDArray> params = new HashMap<>();
    private final ModelConfig c;
    private final Map<String, Double> ms = new LinkedHashMap<>();

    private ForwardProfile(GeneratorNetwork net) {
        this.c = net.config();
        for (Pair<String, Parameter> p : net.parameters()) {
            params.put(Workloads.parameterName(p.getKey()), p.getValue().getArray());
        }
        for (String k : List.of("conv", "layer_norm", "leaky_relu", "resize", "concat")) {
            ms.put(k, 0.0);
        }
    }

    static ObjectNode run(GeneratorNetwork net, int batch, Stats.Repeats repeats) {
        ForwardProfile profile = new ForwardProfile(net);
        double maxDiff;
        List<Double> totals;
        try (NDManager inputs = net.manager().newSubManager()) {
            NDArray[] x = Workloads.inputs(net, batch, inputs);
            try (NDManager check = net.manager().newSubManager()) {
                NDArray mine = profile.forward(Workloads.copyInto(x[0], check), Workloads.copyInto(x[1], check));
                NDArray real = net.forward(Workloads.copyInto(x[0], check), Workloads.copyInto(x[1], check), false);
                maxDiff = mine.sub(real).abs().max().getFloat();
            }
            profile.ms.replaceAll((k, v) -> 0.0);
            totals = Stats.repeat(repeats, () -> {
                try (NDManager sub = net.manager().newSubManager()) {
                    NDArray layout = Workloads.copyInto(x[0], sub);
                    NDArray noise = Workloads.copyInto(x[1], sub);
                    long t = System.nanoTime();
                    profile.forward(layout, noise);
                    return Stats.msSince(t);
                }
            });
        }
        int runs = totals.size() + repeats.warmup();
        double total = totals.stream().mapToDouble(Double::doubleValue).sum() / totals.size();
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("preset", net.config().presetName());
        n.put("batch", batch);
        n.put("total_ms_mean", Stats.round(total, 3));
        ObjectNode split = n.putObject("share");
        double accounted = 0;
        for (Map.Entry<String, Double> e : profile.ms.entrySet()) {
            double perRun = e.getValue() / runs;
            accounted += perRun;
            split.put(e.getKey(), Stats.round(perRun / total, 3));
        }
        split.put("other", Stats.round(Math.max(0, 1 - accounted / total), 3));
        n.put("max_abs_diff_vs_forward", maxDiff);
        return n;
    }

    /** The CRN forward of {@code CrnGenerator}, op by op. */
    private NDArray forward(NDArray layout, NDArray noise) {
        NDArray z = timed("concat", () -> NDArrays.concat(new NDList(layout, noise), 1)); // (N, C+Z, H, W)
        z = block("encoder_", z, true);
        z = timed("conv", z, x -> Conv2d.conv2d(x, params.get("encoder_project_weight"),
                params.get("encoder_project_bias"), ONE, NO_PAD, ONE, 1).head()); // (N, Z, H, W)
        NDArray features = null;
        for (int i = 0; i < c.moduleCount(); i++) {
            int h = c.moduleHeight(i);
            int w = c.moduleWidth(i);
            NDList parts = new NDList();
            if (features != null) {
                parts.add(resize(features, h, w, Resize::bilinear)); // (N, P, h, w)
            }
            parts.add(resize(layout, h, w, Resize::area));           // (N, C, h, w)
            parts.add(resize(z, h, w, Resize::sample));              // (N, Z, h, w), point-sampled as the model does
            NDArray x = timed("concat", () -> NDArrays.concat(parts, 1));
            features = block("module" + i + "_", x, false);
        }
        return timed("conv", features, x -> Conv2d.conv2d(x, params.get("toRgb_weight"), params.get("toRgb_bias"),
                ONE, NO_PAD, ONE, 1).head()); // (N, 3, H, W)
    }

    /** conv3x3 -> LN -> lrelu, twice. */
    private NDArray block(String prefix, NDArray x, boolean encoder) {
        for (String k : List.of("1", "2")) {
            NDArray weight = params.get(prefix + "conv" + k + "_weight");
            x = timed("conv", x, in -> Conv2d.conv2d(in, weight, null, ONE, ONE, ONE, 1).head());
            NDArray gamma = params.get(prefix + "norm" + k + "_gamma");
            NDArray beta = params.get(prefix + "norm" + k + "_beta");
            x = timed("layer_norm", x, in -> layerNorm(in, gamma, beta));
            x = timed("leaky_relu", x, in -> Activation.leakyRelu(in, (float) c.leakySlope()));
        }
        return x;
    }

    /** As LayerNorm2d does it: libtorch's fused layer_norm with the per-channel affine expanded. */
    private static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        Shape perSample = x.getShape().slice(1);
        long ch = perSample.get(0);
        NDArray scale = gamma.reshape(ch, 1, 1).broadcast(perSample);
        NDArray shift = beta.reshape(ch, 1, 1).broadcast(perSample);
        scale.attach(x.getManager()); // else the views pile up in the parameters' manager
        shift.attach(x.getManager());
        return LayerNorm.layerNorm(x, perSample, scale, shift, 1e-5f).head();
    }

    /** The model's own resize (io.cimle.core.model.Resize), timed; a no-op at the same size, as there. */
    private NDArray resize(NDArray x, int h, int w, ResizeOp op) {
        return timed("resize", x, in -> op.apply(in, h, w));
    }

    private interface ResizeOp {
        NDArray apply(NDArray x, int height, int width);
    }

    private NDArray timed(String kind, NDArray x, UnaryOperator<NDArray> op) {
        return timed(kind, () -> op.apply(x));
    }

    private NDArray timed(String kind, Supplier<NDArray> op) {
        long t = System.nanoTime();
        NDArray out = op.get();
        ms.merge(kind, Stats.msSince(t), Double::sum);
        return out;
    }
}
