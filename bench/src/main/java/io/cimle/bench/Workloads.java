package io.cimle.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Example;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.LayoutTensors;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The inputs every section feeds the model: toy-scene layouts and photos at a preset's size. */
final class Workloads {
    static final long DATA_SEED = 20240917L;

    private Workloads() {
    }

    static ModelConfig preset(String name) {
        return Presets.byName(name, ToyScenes.labelSet().channels());
    }

    static List<Example> examples(ModelConfig c, int n) {
        List<Example> out = new ArrayList<>(n);
        for (ToyScenes.Scene s : new ToyScenes(c.width(), c.height()).generate(n, DATA_SEED)) {
            out.add(s.example());
        }
        return out;
    }

    /** (batch, C, H, W) one layout repeated, and (batch, Z, H, W) noise from seeds 0..batch-1. */
    static NDArray[] inputs(GeneratorNetwork net, int batch, NDManager manager) {
        ModelConfig c = net.config();
        ClassMap layout = examples(c, 1).get(0).layout();
        List<LatentCode> codes = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            codes.add(LatentCodes.sample(c, DATA_SEED, i));
        }
        return new NDArray[] {LayoutTensors.oneHot(manager, Collections.nCopies(batch, layout)),
                net.noiseFor(codes, manager)};
    }

    /** DJL's hierarchical parameter name without its ordinal prefixes: 01encoder_03conv2_weight -> encoder_conv2_weight. */
    static String parameterName(String djlName) {
        return djlName.replaceAll("(^|_)\\d{2}", "$1");
    }

    static NDArray copyInto(NDArray x, NDManager manager) {
        NDArray copy = x.duplicate();
        copy.attach(manager);
        return copy;
    }

    /** Forces the device to finish (a scalar read); a no-op cost on the CPU. */
    static void sync(NDArray x) {
        x.getFloat(new long[x.getShape().dimension()]);
    }

    /** libtorch's intra-op thread count (loads the engine first: the JNI call needs it). */
    static int threads() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }

    /** Peak and current resident set of this JVM (MiB) from /proc/self/status; -1 where unreadable. */
    static double[] memoryMiB() {
        double hwm = -1;
        double rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = kib(line) / 1024.0;
                } else if (line.startsWith("VmRSS:")) {
                    rss = kib(line) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: memory columns stay -1
        }
        return new double[] {hwm, rss};
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
