package io.cimle.core.training.distance;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Selection of the nearest of m = 10 candidates: prepared target + one batched perCandidate call,
 * versus the reference's way (perSample one candidate at a time, target features recomputed each
 * time). Prints milliseconds per selection. VGG-19 uses random weights (speed does not depend on
 * the values). Run: java -cp (test classpath) io.cimle.core.training.distance.DistanceBenchmark
 */
public final class DistanceBenchmark {
    private static final int M = 10;

    public static void main(String[] args) throws Exception {
        Engine.getInstance().setRandomSeed(1);
        Path dir = Files.createTempDirectory("vgg-bench");
        Path npz;
        try (NDManager m = NDManager.newBaseManager()) {
            npz = RandomVggWeights.writeVgg19(dir, m);
        }
        try (Distance pyramid = PyramidL1Distance.defaults();
             Distance vgg = Vgg19PerceptualDistance.load(npz, VggLayerWeights.gta5(), Device.cpu())) {
            for (Distance d : new Distance[] {pyramid, vgg}) {
                for (int[] hw : new int[][] {{32, 64}, {64, 128}}) {
                    run(d, hw[0], hw[1]);
                }
            }
        } finally {
            Files.deleteIfExists(npz);
            Files.deleteIfExists(dir);
        }
    }

    private static void run(Distance d, int h, int w) {
        int reps = d instanceof PyramidL1Distance ? 50 : 5;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray candidates = m.randomUniform(0f, 255f, new Shape(M, 3, h, w));
            NDArray target = m.randomUniform(0f, 255f, new Shape(1, 3, h, w));
            NDArray mask = m.randomUniform(0f, 1f, new Shape(1, 1, h, w));
            // warm-up both paths
            naive(d, candidates, target, mask);
            prepared(d, candidates, target, mask);
            long t0 = System.nanoTime();
            int a = 0;
            for (int r = 0; r < reps; r++) {
                a = naive(d, candidates, target, mask);
            }
            long t1 = System.nanoTime();
            int b = 0;
            for (int r = 0; r < reps; r++) {
                b = prepared(d, candidates, target, mask);
            }
            long t2 = System.nanoTime();
            double naiveMs = (t1 - t0) / 1e6 / reps;
            double fastMs = (t2 - t1) / 1e6 / reps;
            System.out.printf("%-18s %3dx%-3d m=%d  naive %8.2f ms  prepared+batched %8.2f ms  speed-up %5.2fx  "
                            + "(argmin %d vs %d)%n", d.getClass().getSimpleName(), h, w, M, naiveMs, fastMs,
                    naiveMs / fastMs, a, b);
        }
    }

    /** The reference: one candidate at a time, target features recomputed for each. */
    private static int naive(Distance d, NDArray candidates, NDArray target, NDArray mask) {
        int best = -1;
        float bestD = Float.POSITIVE_INFINITY;
        for (int j = 0; j < M; j++) {
            try (NDManager step = candidates.getManager().newSubManager()) {
                NDArray c = candidates.get(j).expandDims(0);
                c.attach(step);
                float v = d.perSample(c, target, mask).getFloat(0);
                if (v < bestD) {
                    bestD = v;
                    best = j;
                }
            }
        }
        return best;
    }

    private static int prepared(Distance d, NDArray candidates, NDArray target, NDArray mask) {
        try (TargetFeatures t = d.prepare(target, mask); NDManager step = candidates.getManager().newSubManager()) {
            NDArray dist = d.perCandidate(candidates, t);
            dist.attach(step);
            return (int) dist.argMin().getLong();
        }
    }
}
