package io.cimle.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The one way to sample: (layouts, codes) in, images out, for the generator service, selection,
 * health probes, the CLI and the bench. Runs without gradients (whatever the calling thread's grad
 * mode), in micro-batches of at most {@link #maxBatch()} samples, each in its own sub-manager, so
 * memory stays bounded whatever the number of samples asked for. {@link #forEachBatch} hands out the
 * output tensors for callers that score them (selection) rather than keep images.
 *
 * <p>Two batch sizes nest here, for two reasons. The outer one, {@code maxBatch} (the generator's
 * {@code cimle.generator.max-batch}, the trainer's selection batch), bounds memory: it is the most samples
 * whose inputs and outputs live at once, one sub-manager per micro-batch, and the most a generator's pass
 * shares among requests. The inner one, the network's {@link GeneratorNetwork#inferenceChunk() inference
 * chunk} ({@code cimle.model.inference-chunk}), is for speed only: one micro-batch's forward runs as chunks of
 * at most that many samples, so per-sample cost never grows with the batch (see {@link InferenceChunking}).
 * Either may be the larger: a chunk at or above {@code maxBatch} never splits a micro-batch.
 *
 * <p>A sampler with a {@link CodeBank} (a checkpoint's, or {@link #withBank}) hands the network, for every code, the
 * matched code it stands for; callers keep giving and getting the codes themselves (seeds stay seeds).
 */
public final class Sampler implements AutoCloseable {
    /** Default micro-batch: small enough for the paper preset on a CPU host. */
    public static final int DEFAULT_MAX_BATCH = 8;

    private final GeneratorNetwork network;
    private final int maxBatch;
    private final boolean ownsNetwork;
    /** The matched codes a code stands for (see {@link CodeBank}); null: codes go to the network as they are. */
    private final CodeBank bank;

    private Sampler(GeneratorNetwork network, int maxBatch, boolean ownsNetwork) {
        this(network, maxBatch, ownsNetwork, null);
    }

    private Sampler(GeneratorNetwork network, int maxBatch, boolean ownsNetwork, CodeBank bank) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.network = Objects.requireNonNull(network, "network");
        this.maxBatch = maxBatch;
        this.ownsNetwork = ownsNetwork;
        this.bank = bank;
    }

    /**
     * This sampler's network with every code standing for its matched code in {@code bank} (null: none); closing
     * it leaves the network open.
     */
    public Sampler withBank(CodeBank bank) {
        return new Sampler(network, maxBatch, false, bank);
    }

    /**
     * This sampler drawing the codes as they are, owning the network as this one did (this one must not be used or
     * closed after).
     */
    public Sampler withoutBank() {
        return bank == null ? this : new Sampler(network, maxBatch, ownsNetwork, null);
    }

    /** The bank codes stand for, or null. */
    public CodeBank bank() {
        return bank;
    }

    /** A freshly initialised generator (untrained: for tests and benchmarks). */
    public static Sampler create(ModelConfig config, Device device, int maxBatch) {
        return new Sampler(GeneratorNetwork.create(config, device), maxBatch, true);
    }

    public static Sampler create(ModelConfig config, Device device) {
        return create(config, device, DEFAULT_MAX_BATCH);
    }

    /** The checkpoint's generator, with its code bank where it has one (a checkpoint without answers as before). */
    public static Sampler fromCheckpoint(Checkpoint checkpoint, Device device, int maxBatch) {
        GeneratorNetwork network = GeneratorNetwork.fromCheckpoint(checkpoint, device);
        try {
            return new Sampler(network, maxBatch, true, CodeBank.of(checkpoint));
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Wraps a network owned by someone else (e.g. the training loop); closing this leaves it open. */
    public static Sampler wrap(GeneratorNetwork network, int maxBatch) {
        return new Sampler(network, maxBatch, false);
    }

    /** n samples; sample i uses {@code LatentCodes.sample(config, seed, i)} (see {@link LatentCodes#derive}). */
    public Samples generate(ClassMap layout, int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("number of samples must be >= 1, got " + n);
        }
        List<LatentCode> codes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            codes.add(LatentCodes.sample(network.config(), seed, i));
        }
        return generate(layout, codes);
    }

    /** One image per code for one layout (style reuse, scene editing: same code, edited layout). */
    public Samples generate(ClassMap layout, List<LatentCode> codes) {
        return run(Collections.nCopies(codes.size(), fit(layout, 0)), codes);
    }

    /** {@code steps} images from code a (t = 0) to code b (t = 1). */
    public Samples interpolate(ClassMap layout, LatentCode a, LatentCode b, int steps, InterpolationMethod method) {
        LatentCode from = LatentCodes.resolve(a, network.config(), 0);
        LatentCode to = LatentCodes.resolve(b, network.config(), 1);
        if (bank == null) {
            return generate(layout, LatentCodes.interpolation(from, to, steps, method));
        }
        // The walk goes between the looks the ends stand for; a Gaussian code between them would jump between
        // matched codes.
        ClassMap fitted = fit(layout, 0);
        List<LatentCode> walk = LatentCodes.interpolation(bank.transform(fitted, from), bank.transform(fitted, to),
                steps, method);
        List<RgbImage> images = new ArrayList<>(steps);
        forEachBatch(Collections.nCopies(steps, fitted), walk, false,
                (start, out, nanos) -> images.addAll(ImageTensors.toImages(out)));
        return new Samples(images, walk);
    }

    /**
     * Sample i is layout i under code i: many layouts with many codes in batched no-grad forwards
     * (selection, health probes, serving). Layouts of another size are resized to the model's.
     */
    public Samples sample(List<ClassMap> layouts, List<LatentCode> codes) {
        List<ClassMap> fitted = new ArrayList<>(layouts.size());
        for (int i = 0; i < layouts.size(); i++) {
            fitted.add(fit(layouts.get(i), i));
        }
        return run(fitted, codes);
    }

    private Samples run(List<ClassMap> layouts, List<LatentCode> codes) {
        List<LatentCode> resolved = new ArrayList<>(codes.size());
        for (int i = 0; i < codes.size(); i++) {
            resolved.add(LatentCodes.resolve(codes.get(i), network.config(), i));
        }
        List<RgbImage> images = new ArrayList<>(codes.size());
        forEachBatch(layouts, resolved, (start, out, nanos) -> images.addAll(ImageTensors.toImages(out)));
        return new Samples(images, resolved);
    }

    /** What a caller does with one micro-batch's output, while its native memory is alive. */
    @FunctionalInterface
    public interface BatchHandler {
        /**
         * @param start        index of the batch's first sample in the caller's lists
         * @param images       (B, 3, H, W) in [-1, 1], valid only during this call
         * @param forwardNanos time of the batch's forward pass
         */
        void handle(int start, NDArray images, long forwardNanos);
    }

    /**
     * Sample i = T(layouts[i], codes[i]) for every i, batch by batch, without gradients: layouts must
     * already have the model's size (see {@link #sample}).
     */
    public void forEachBatch(List<ClassMap> layouts, List<LatentCode> codes, BatchHandler handler) {
        forEachBatch(layouts, codes, true, handler);
    }

    private void forEachBatch(List<ClassMap> layouts, List<LatentCode> codes, boolean throughBank,
                              BatchHandler handler) {
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("no latent codes given");
        }
        if (layouts.size() != codes.size()) {
            throw new IllegalArgumentException(layouts.size() + " layouts for " + codes.size() + " codes: give one per code");
        }
        GradMode.withoutGradients(() -> {
            for (int start = 0; start < codes.size(); start += maxBatch) {
                int end = Math.min(codes.size(), start + maxBatch);
                try (NDManager batch = network.manager().newSubManager()) {
                    long t0 = System.nanoTime();
                    List<ClassMap> batchLayouts = layouts.subList(start, end);
                    List<LatentCode> batchCodes = codes.subList(start, end);
                    if (throughBank && bank != null) {
                        List<LatentCode> matched = new ArrayList<>(batchCodes.size());
                        for (int i = 0; i < batchCodes.size(); i++) {
                            matched.add(bank.transform(batchLayouts.get(i), batchCodes.get(i)));
                        }
                        batchCodes = matched;
                    }
                    NDList inputs = network.inputs(batch, batchLayouts, batchCodes);
                    NDArray out = network.forward(inputs, false);                               // (B, 3, H, W)
                    handler.handle(start, out, System.nanoTime() - t0);
                }
            }
        });
    }

    /** Layouts of another size are resized (nearest) to the model's; the channel count must match. */
    private ClassMap fit(ClassMap layout, int position) {
        ModelConfig config = network.config();
        Objects.requireNonNull(layout, "layout " + position);
        if (layout.channels() != config.channels()) {
            throw new IllegalArgumentException("layout " + position + " has " + layout.channels()
                    + " channels but the model expects " + config.channels() + " (classes + void)");
        }
        return layout.resizeNearest(config.width(), config.height());
    }

    public GeneratorNetwork network() {
        return network;
    }

    public ModelConfig config() {
        return network.config();
    }

    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public void close() {
        if (ownsNetwork) {
            network.close();
        }
    }
}
