package io.cimle.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.data.Example;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.training.Adam;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Our training step (forward + L1 + backward + Adam) against the same CRN written in Python
 * PyTorch ({@code scripts/torch_peer.py}), same preset, batch and thread count. Our parameters and a
 * fixed input go to the peer as .npz so it can also check that both forwards agree.
 */
final class PeerBench {
    static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PeerBench() {
    }

    static ObjectNode run(BenchOptions o, String preset, int batch) throws IOException, InterruptedException {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        Path script = o.root().resolve("scripts/torch_peer.py");
        if (!Files.isRegularFile(script) || !Files.isExecutable(Path.of(PYTHON))) {
            n.put("skipped", "needs " + script + " and " + PYTHON + " with python3-torch");
            return n;
        }
        ModelConfig c = Workloads.preset(preset);
        Path dir = o.out().resolve("peer");
        Files.createDirectories(dir);
        n.put("preset", preset);
        n.put("batch", batch);
        int threads = Workloads.threads();
        n.put("threads", threads);
        List<Double> ours;
        List<Double> adamMs = new ArrayList<>();
        try (GeneratorNetwork net = GeneratorNetwork.create(c, Device.cpu(), 1);
             NDManager fixed = net.manager().newSubManager()) {
            List<Example> data = Workloads.examples(c, batch);
            NDArray[] x = Workloads.inputs(net, batch, fixed);
            List<RgbImage> photos = new ArrayList<>();
            for (Example e : data) {
                photos.add(e.photo());
            }
            NDArray target = ImageTensors.fromImages(fixed, photos); // (B, 3, H, W), [-1, 1] space
            export(net, x, target, dir);
            try (Adam adam = new Adam(net.parameters(), net.manager(), 0.9, 0.999, 1e-8)) {
                ours = Stats.repeat(o.repeats(), () -> {
                    try (NDManager sub = net.manager().newSubManager()) {
                        NDArray layout = Workloads.copyInto(x[0], sub);
                        NDArray noise = Workloads.copyInto(x[1], sub);
                        NDArray y = Workloads.copyInto(target, sub);
                        long t = System.nanoTime();
                        try (GradientCollector gc = sub.getEngine().newGradientCollector()) {
                            NDArray loss = net.forward(layout, noise, true).sub(y).abs().mean();
                            gc.backward(loss);
                        }
                        long a = System.nanoTime();
                        adam.step(1e-4);
                        adamMs.add(Stats.msSince(a));
                        return Stats.msSince(t);
                    }
                });
            }
        }
        writeSpec(c, batch, dir);
        List<String> cmd = List.of(PYTHON, script.toString(), "--dir", dir.toString(), "--threads",
                Integer.toString(threads), "--warmup", Integer.toString(o.repeats().warmup()), "--repeats",
                Integer.toString(Math.max(o.repeats().min(), o.quick() ? 2 : 7)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ObjectNode peer = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("{")) {
                    peer = (ObjectNode) JSON.readTree(line);
                }
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        if (peer == null) {
            n.put("skipped", "torch_peer.py gave no result (exit " + p.exitValue() + ")");
            return n;
        }
        double ourMs = Stats.median(ours);
        n.put("ours_step_ms", Stats.round(ourMs, 2));
        // Timed inside each step right after its backward, as the peer's is; warm-up steps left out as the peer's are.
        n.put("ours_adam_ms", Stats.round(Stats.median(adamMs.subList(Math.min(o.repeats().warmup(), adamMs.size() - 1),
                adamMs.size())), 2));
        n.put("peer_step_ms", peer.path("step_ms").asDouble());
        n.put("peer_adam_ms", peer.path("adam_ms").asDouble());
        n.put("ratio_ours_to_peer", Stats.round(ourMs / peer.path("step_ms").asDouble(), 2));
        n.put("peer_forward_ms", peer.path("forward_ms").asDouble());
        n.put("forward_max_abs_diff", peer.path("max_abs_diff").asDouble());
        n.put("encoder_max_abs_diff", peer.path("encoder_max_abs_diff").asDouble());
        n.put("peer_resize", "features: bilinear align_corners=False, antialias=True (what Resize.bilinear runs on DJL 0.33); "
                + "noise: centre-pixel sampling (Resize.sample)");
        n.put("peer_torch_version", peer.path("torch").asText());
        n.put("peer_threads", peer.path("threads").asInt());
        return n;
    }

    /** Parameters by DJL name, the fixed inputs, our forward's output and the target, as one .npz. */
    private static void export(GeneratorNetwork net, NDArray[] x, NDArray target, Path dir) throws IOException {
        try (NDManager m = net.manager().newSubManager()) {
            NDList list = new NDList();
            for (Pair<String, Parameter> p : net.parameters()) {
                NDArray a = p.getValue().getArray().duplicate();
                a.attach(m);
                a.setName("param/" + Workloads.parameterName(p.getKey()));
                list.add(a);
            }
            NDArray out = net.forward(Workloads.copyInto(x[0], m), Workloads.copyInto(x[1], m), false);
            // The encoder's output alone: tells a peer mismatch in the encoder from one in the modules.
            NDArray encoded = net.block().encoder().forward(new ParameterStore(m, false),
                    new NDList(Workloads.copyInto(x[0], m), Workloads.copyInto(x[1], m)), false).head();
            String[] names = {"layout", "noise", "target", "output", "encoded"};
            NDArray[] arrays = {Workloads.copyInto(x[0], m), Workloads.copyInto(x[1], m),
                Workloads.copyInto(target, m), out, encoded};
            for (int i = 0; i < names.length; i++) {
                arrays[i].setName(names[i]);
                list.add(arrays[i]);
            }
            try (OutputStream os = Files.newOutputStream(dir.resolve("peer.npz"))) {
                list.encode(os, NDList.Encoding.NPZ);
            }
        }
    }

    private static void writeSpec(ModelConfig c, int batch, Path dir) throws IOException {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("preset", c.presetName());
        s.put("batch", batch);
        s.put("height", c.height());
        s.put("width", c.width());
        s.put("channels", c.channels());
        s.put("noise_channels", c.noiseChannels());
        s.put("noise_input_channels", c.noiseInputChannels());
        s.put("encoder_width", c.encoderWidth());
        s.put("leaky_slope", c.leakySlope());
        ArrayNode modules = s.putArray("modules");
        for (int i = 0; i < c.moduleCount(); i++) {
            ObjectNode mod = modules.addObject();
            mod.put("height", c.moduleHeight(i));
            mod.put("width", c.moduleWidth(i));
            mod.put("channels", c.moduleChannels(i));
        }
        Files.writeString(dir.resolve("spec.json"), s.toPrettyString());
    }
}
