package io.cimle.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The limit: float32 square matmul through the same libtorch the model runs on. */
final class MatmulBench {
    private MatmulBench() {
    }

    static ObjectNode run(int size, Device device, Stats.Repeats repeats) {
        try (NDManager m = NDManager.newBaseManager(device, "PyTorch")) {
            NDArray a = m.randomNormal(new Shape(size, size));
            NDArray b = m.randomNormal(new Shape(size, size));
            List<Double> ms = Stats.repeat(repeats, () -> {
                long t = System.nanoTime();
                NDArray c = a.matMul(b);
                Workloads.sync(c);
                double elapsed = Stats.msSince(t);
                c.close();
                return elapsed;
            });
            double flops = 2.0 * size * size * size;
            double median = Stats.median(ms);
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("size", size);
            n.put("ms_median", Stats.round(median, 3));
            n.put("gflops", Stats.round(flops / median / 1e6, 2));
            n.put("repeats", ms.size());
            n.put("threads", Workloads.threads());
            return n;
        }
    }
}
