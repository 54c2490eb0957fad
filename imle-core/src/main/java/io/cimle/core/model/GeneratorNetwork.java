package io.cimle.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.cimle.core.data.ClassMap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The generator as the training code sees it: the DJL {@link Model} that owns the parameters,
 * the {@link CrnGenerator} block and its config. Native memory of the parameters lives in
 * {@link #manager()}; per-step arrays belong in sub-managers of it.
 */
public final class GeneratorNetwork implements AutoCloseable {
    private static final String ENGINE = "PyTorch";

    private final ModelConfig config;
    private final Model model;
    private final CrnGenerator block;
    /**
     * Samples per no-grad forward at most; larger batches run as chunks (see InferenceChunking; how this nests in
     * a sampler's micro-batches: {@link Sampler}).
     */
    private volatile int inferenceChunk;

    private GeneratorNetwork(ModelConfig config, Device device) {
        this.config = config;
        this.inferenceChunk = InferenceChunking.auto(config, device);
        this.model = Model.newInstance("crn-" + config.presetName(), device, ENGINE);
        this.block = new CrnGenerator(config);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, block.layoutShape(1), block.noiseShape(1),
                block.partsShape(1));
    }

    /** A freshly initialised network (initialisation uses the engine's current random state). */
    public static GeneratorNetwork create(ModelConfig config, Device device) {
        return new GeneratorNetwork(config, device);
    }

    /** A freshly initialised network; seeds the engine's global random generator first. */
    public static GeneratorNetwork create(ModelConfig config, Device device, long initSeed) {
        Engine.getEngine(ENGINE).setRandomSeed((int) (initSeed ^ (initSeed >>> 32)));
        return new GeneratorNetwork(config, device);
    }

    /** The network a checkpoint describes, with its parameters. */
    public static GeneratorNetwork fromCheckpoint(Checkpoint checkpoint, Device device) {
        GeneratorNetwork network = new GeneratorNetwork(checkpoint.config(), device);
        try {
            network.loadParameters(checkpoint);
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /**
     * T(layout, noise) for a model whose code parts are its classes ({@link ModelConfig#partsAreClasses()}):
     * the layout is the parts input too. A model with instance parts needs {@link #forward(NDArray, NDArray,
     * NDArray, boolean)} with the parts {@link #inputs} builds.
     */
    public NDArray forward(NDArray layout, NDArray noise, boolean training) {
        if (!config.partsAreClasses() || config.instanceEdges()) {
            throw new IllegalArgumentException("model " + config.presetName() + " has instance code parts or edges: "
                    + "give the parts tensor (GeneratorNetwork.inputs builds the inputs from the layouts)");
        }
        return forward(layout, noise, layout, training);
    }

    /** The network's three inputs for these layouts and codes: the layout as it reads it, noise, code parts. */
    public NDList inputs(NDManager manager, List<ClassMap> layouts, List<LatentCode> codes) {
        NDList layoutAndParts = LayoutTensors.layoutAndParts(manager, layouts, config); // (N, C or C+1, H, W), (N, P, H, W)
        NDArray noise = noiseFor(codes, manager);                                        // (N, Z, H, W) | (N, d)
        return new NDList(layoutAndParts.get(0), noise, layoutAndParts.get(1));
    }

    /** {@link #forward(NDArray, NDArray, NDArray, boolean)} of what {@link #inputs} built. */
    public NDArray forward(NDList inputs, boolean training) {
        return forward(inputs.get(0), inputs.get(1), inputs.get(2), training);
    }

    /**
     * T(layout, noise). {@code layout} (N, C, H, W) one-hot; {@code noise} as {@link #noiseFor} builds
     * it; {@code parts} (N, P, H, W) one-hot over the code parts ({@link CodeParts}). Output (N, 3, H, W) in
     * [-1, 1] space, in the layout's manager. Gradients are recorded only inside a GradientCollector.
     */
    public NDArray forward(NDArray layout, NDArray noise, NDArray parts, boolean training) {
        ParameterStore store = new ParameterStore(model.getNDManager(), false);
        long n = layout.getShape().get(0);
        int chunk = inferenceChunk;
        if (!training && n == 1 && chunk >= 2) {
            // libtorch runs a batch of one with other convolution kernels, whose sums differ in the last
            // bits (and then a pixel by a level): a lone sample runs as a pair, so a seed gives the same
            // image whether its request ran alone or shared a pass. Costs less than a second sample
            // (chunk >= 2 means a pair is cheaper per sample than one).
            NDArray pair = block.forward(store, new NDList(layout.repeat(0, 2), noise.repeat(0, 2),
                    parts.repeat(0, 2)), false).head();
            return pair.get("0:1");
        }
        if (training || n < 2L * chunk) {
            return block.forward(store, new NDList(layout, noise, parts), training).head();
        }
        // Layer norm is per sample, so chunks give the same numbers as one pass. Chunks hold chunk to
        // 2 * chunk - 1 samples, sizes differing by one at most (9 at 8 runs as one pass, 9 at 2 as 3 + 2
        // + 2 + 2): never a lone sample beside larger chunks, since libtorch may pick another convolution
        // kernel for a batch of one, which moves a pixel by a level, and a seed should give the same
        // bytes wherever its sample sits in a request.
        long count = Math.max(1, n / chunk);
        NDList outs = new NDList();
        long start = 0;
        for (long p = 0; p < count; p++) {
            long size = n / count + (p < n % count ? 1 : 0);
            NDIndex rows = new NDIndex("{}:{}", start, start + size);
            start += size;
            outs.add(block.forward(store, new NDList(layout.get(rows), noise.get(rows), parts.get(rows)), false).head());
        }
        return NDArrays.concat(outs, 0);
    }

    /** Samples one no-grad forward runs at once; {@link InferenceChunking#WHOLE} never splits a batch. */
    public int inferenceChunk() {
        return inferenceChunk;
    }

    /**
     * Overrides the automatic chunk (cache-sized on a CPU, whole batches on a GPU); {@code <= 0} means
     * never split.
     */
    public GeneratorNetwork setInferenceChunk(int samples) {
        this.inferenceChunk = samples <= 0 ? InferenceChunking.WHOLE : samples;
        return this;
    }

    /** The raw noise tensor for these codes: (N, Z, H, W) per-pixel, or (N, d) for VECTOR. */
    public NDArray noiseFor(List<LatentCode> codes, NDManager manager) {
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("no latent codes given");
        }
        int[] shape = LatentCodes.shapeFor(config);
        int size = 1;
        for (int s : shape) {
            size *= s;
        }
        float[] data = new float[codes.size() * size];
        for (int i = 0; i < codes.size(); i++) {
            float[] v = LatentCodes.resolve(codes.get(i), config, i).valuesView();
            System.arraycopy(v, 0, data, i * size, size);
        }
        return manager.create(data, noiseShape(codes.size()));
    }

    /** (n, ...code shape): the raw noise input's shape. */
    private Shape noiseShape(int n) {
        int[] shape = LatentCodes.shapeFor(config);
        long[] dims = new long[shape.length + 1];
        dims[0] = n;
        for (int i = 0; i < shape.length; i++) {
            dims[i + 1] = shape[i];
        }
        return new Shape(dims);
    }

    /** Zero codes for n samples, in the raw noise's shape (the regression baseline's input). */
    public NDArray zeroNoise(NDManager manager, int n) {
        return manager.zeros(noiseShape(n));
    }

    /** Every trainable parameter, by hierarchical name. */
    public ParameterList parameters() {
        return block.getParameters();
    }

    public long parameterCount() {
        long count = 0;
        for (Pair<String, Parameter> p : parameters()) {
            count += p.getValue().getArray().size();
        }
        return count;
    }

    /**
     * Re-draws the noise encoder's parameters from the reference initialisation, in place (the
     * reference code does this after epoch 5). The optimiser state of those parameters should be
     * reset by the caller. No-op in RAW mode, which has no encoder.
     */
    public void reinitialiseNoiseEncoder() {
        NoiseEncoder encoder = block.encoder();
        if (encoder == null) {
            return;
        }
        encoder.useReferenceInitialisation();
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            for (Pair<String, Parameter> p : encoder.getParameters()) {
                Parameter parameter = p.getValue();
                NDArray fresh = parameter.getInitializer().initialize(scratch, parameter.getShape(), DataType.FLOAT32);
                fresh.copyTo(parameter.getArray());
            }
        }
    }

    /** DJL's parameter file (exact round trip). */
    public byte[] saveParameters() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Loads a checkpoint's parameters into this network. Fails with a message naming every
     * architecture value that differs when the checkpoint was written for another architecture.
     */
    public void loadParameters(Checkpoint checkpoint) {
        List<String> differences = config.architectureDifferences(checkpoint.config());
        if (!differences.isEmpty()) {
            throw new IncompatibleCheckpointException("checkpoint (preset " + checkpoint.config().presetName()
                    + ") does not fit this generator (preset " + config.presetName() + "); differing values "
                    + "(this generator vs checkpoint): " + String.join(", ", differences));
        }
        // In place into parameters that require gradients: only legal with recording off on this thread.
        GradMode.withoutGradients(() -> {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint.generatorParams()))) {
                block.loadParameters(model.getNDManager(), in);
            } catch (IOException | MalformedModelException e) {
                throw new IncompatibleCheckpointException("cannot read the generator parameters of the checkpoint: "
                        + e.getMessage(), e);
            }
        });
        for (Pair<String, Parameter> p : parameters()) {
            NDArray array = p.getValue().getArray();
            if (!array.hasGradient()) {
                array.setRequiresGradient(true);
            }
        }
    }

    public ModelConfig config() {
        return config;
    }

    public CrnGenerator block() {
        return block;
    }

    public Model model() {
        return model;
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    @Override
    public void close() {
        model.close();
    }
}
