package io.cimle.core.training;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.cimle.core.data.Example;
import io.cimle.core.data.LabelSets;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.NoiseMode;
import io.cimle.core.model.Presets;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.PyramidL1Distance;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One seeded training run at the tiny preset whose result is the SHA-256 of every weight: the
 * probe of the reproducibility tests. As a main it prints that hash (the determinism test runs it
 * in fresh JVMs), or with {@code --forever} trains until killed (the CPU-heavy neighbour).
 */
public final class SeededRun {
    private SeededRun() {
    }

    /** Trains {@code epochs} epochs of 24 steps (rebalancing on, so the mask path is covered) and hashes the weights. */
    static String train(NoiseMode noise, int epochs) {
        List<Example> data = TrainingFixtures.toyExamples(16, 21);
        ModelConfig model = Presets.tiny(LabelSets.TOY_SCENES.channels()).withNoiseMode(noise);
        ImleConfig config = ImleConfig.REFERENCE.withExamples(16).withCandidates(4).withSteps(24)
                .withSubBatch(4).withEpochs(epochs).withSelectionBatch(32).withDecay(0, false).withLearningRate(2e-3)
                .withSeed(5);
        try (GeneratorNetwork net = GeneratorNetwork.create(model, Device.cpu(), 13);
             Distance distance = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, distance, data, null, config)) {
            trainer.train();
            return weightHash(net);
        }
    }

    static String weightHash(GeneratorNetwork net) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Pair<String, Parameter> p : net.parameters()) {
                float[] values = p.getValue().getArray().toFloatArray();
                ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
                bytes.asFloatBuffer().put(values);
                sha.update(p.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update(bytes.array());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code NOISE EPOCHS} prints the weight hash; {@code --forever} trains until killed (at most 10 minutes). */
    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--forever")) {
            long end = System.nanoTime() + 600_000_000_000L;
            while (System.nanoTime() < end) {
                train(NoiseMode.ENCODER, 1);
            }
            return;
        }
        System.out.println("hash " + train(NoiseMode.valueOf(args[0]), Integer.parseInt(args[1])));
    }
}
