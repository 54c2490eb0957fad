package io.cimle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cascaded refinement network T(x, z): an optional noise encoder, one refinement module per
 * scale (coarsest first), and a 1x1 convolution to RGB without norm or activation.
 *
 * <p>Inputs: {@code layout (N, C, H, W)} one-hot, the raw noise: {@code (N, Z, H, W)} for ENCODER and
 * RAW, {@code (N, d)} for VECTOR, and the code parts {@code (N, P, H, W)} one-hot ({@link CodeParts}:
 * the layout itself when every class is one part). Output {@code (N, 3, H, W)} in [-1, 1] space (unclamped).
 */
public final class CrnGenerator extends AbstractBlock {
    private final ModelConfig config;
    private final NoiseEncoder encoder; // null in RAW mode
    private final List<RefinementModule> modules = new ArrayList<>();
    private final Conv2d toRgb;

    public CrnGenerator(ModelConfig config) {
        this.config = config;
        int layoutChannels = config.layoutChannels();
        int noiseChannels = config.noiseChannels(); // what every module receives, encoded or raw
        if (config.hasEncoder()) {
            encoder = addChildBlock("encoder", new NoiseEncoder(layoutChannels, config.noiseInputChannels(),
                    config.encoderWidth(), noiseChannels, config.leakySlope(), config.pixelNorm(),
                    config.pointwiseEncoder()));
        } else {
            encoder = null;
        }
        int previous = 0; // the coarsest module sees no features
        for (int i = 0; i < config.moduleCount(); i++) {
            int out = config.moduleChannels(i);
            // input channels = previous + layoutChannels + noiseChannels
            modules.add(addChildBlock("module" + i, new RefinementModule(config.moduleHeight(i),
                    config.moduleWidth(i), previous, layoutChannels, noiseChannels, out, config.leakySlope(),
                    config.regionPooling(), config.pixelNorm(), config.codeModulation())));
            previous = out;
        }
        toRgb = addChildBlock("toRgb", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(3).build());

        setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        setInitializer(Initializer.ONES, Parameter.Type.GAMMA);
        setInitializer(Initializer.ZEROS, Parameter.Type.BETA);
        if (encoder != null) {
            encoder.useReferenceInitialisation();
        }
        modules.forEach(RefinementModule::useModulationInitialisation);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray layout = inputs.get(0);                                     // (N, C, H, W)
        NDArray noise = inputs.get(1);                                      // (N, Zin, H, W) or (N, d)
        NDArray parts = inputs.get(2);                                      // (N, P, H, W)
        checkInputs(layout, noise, parts);
        boolean pool = config.regionPooling();
        NDArray z = switch (config.noiseMode()) {
            case RAW -> pool ? pool(noise, parts, true) : noise;            // (N, Z, H, W)
            case ENCODER -> encoder.forward(store, new NDList(layout, pool ? pool(noise, parts, true) : noise),
                    training).head();                                       // (N, Z, H, W)
            case VECTOR -> encoder.forward(store, new NDList(layout, vectorCodeInput(parts, noise)), training)
                    .head();                                                // (N, Z, H, W)
        };
        if (pool && config.noiseMode() != NoiseMode.RAW) {
            z = pool(z, parts, false); // the encoder's 3x3 convolutions bleed a part's code into its neighbours
        }
        NDArray features = null;
        for (RefinementModule module : modules) {
            NDList in = features == null ? new NDList(layout, z) : new NDList(features, layout, z);
            features = module.forward(store, in, training).head();          // (N, Ci, h_i, w_i)
        }
        return toRgb.forward(store, new NDList(features), training);        // (N, 3, H, W)
    }

    /**
     * {@code x} made constant over each code part: its mean there, or with {@code unitVariance} its sum
     * divided by the square root of the part's pixel count, so that i.i.d. unit noise stays unit noise
     * however large the part (a mean over a sky of 1,000 pixels would leave it 1/1,000 of the variance).
     */
    private NDArray pool(NDArray x, NDArray parts, boolean unitVariance) {
        long n = x.getShape().get(0);
        long z = x.getShape().get(1);
        long p = parts.getShape().get(1);
        long hw = (long) config.height() * config.width();
        NDArray members = parts.reshape(n, p, hw);                                        // (N, P, HW)
        NDArray sums = x.reshape(n, z, hw).matMul(members.transpose(0, 2, 1));            // (N, Z, P)
        NDArray counts = members.sum(new int[] {2}).reshape(n, 1, p).maximum(parts.getManager().create(1f)); // (N, 1, P)
        NDArray perPart = sums.div(unitVariance ? counts.sqrt() : counts);                // (N, Z, P)
        return perPart.matMul(members).reshape(n, z, config.height(), config.width());    // (N, Z, H, W)
    }

    /**
     * The encoder's code input for vector codes: the global part tiled over the image, and with region
     * blocks, at every pixel the block of that pixel's code part (its class's, or its instance's).
     */
    private NDArray vectorCodeInput(NDArray parts, NDArray code) {
        long n = code.getShape().get(0);
        int global = config.noiseVectorDim();
        long h = config.height();
        long w = config.width();
        NDArray tiled = code.get(":, :{}", global).reshape(n, global, 1, 1).tile(new long[] {1, 1, h, w}); // (N, d, H, W)
        if (config.regionCodeDim() == 0) {
            return tiled;
        }
        int p = CodeParts.count(config);
        NDArray blocks = code.get(":, {}:", global).reshape(n, p, config.regionCodeDim()); // (N, P, r)
        NDArray perPixel = blocks.transpose(0, 2, 1).matMul(parts.reshape(n, p, h * w))       // (N, r, H*W)
                .reshape(n, config.regionCodeDim(), h, w);
        return tiled.concat(perPixel, 1);                                                  // (N, d + r, H, W)
    }

    private void checkInputs(NDArray layout, NDArray noise, NDArray parts) {
        Shape l = layout.getShape();
        Shape expectedLayout = layoutShape(l.get(0));
        if (!l.equals(expectedLayout)) {
            throw new IllegalArgumentException("layout tensor must be (N, " + config.layoutChannels() + ", "
                    + config.height() + ", " + config.width() + "), got " + l);
        }
        Shape expectedNoise = noiseShape(l.get(0));
        if (!noise.getShape().equals(expectedNoise)) {
            throw new IllegalArgumentException("noise tensor must be " + expectedNoise + " for noise mode "
                    + config.noiseMode() + ", got " + noise.getShape());
        }
        Shape expectedParts = partsShape(l.get(0));
        if (!parts.getShape().equals(expectedParts)) {
            throw new IllegalArgumentException("code parts tensor must be " + expectedParts + ", got " + parts.getShape());
        }
    }

    /** Shape of the code parts input for a batch of n. */
    public Shape partsShape(long n) {
        return new Shape(n, CodeParts.count(config), config.height(), config.width());
    }

    /** Shape of the raw noise input for a batch of n. */
    public Shape noiseShape(long n) {
        return config.noiseMode() == NoiseMode.VECTOR ? new Shape(n, config.codeVectorLength())
                : new Shape(n, config.noiseChannels(), config.height(), config.width());
    }

    public Shape layoutShape(long n) {
        return new Shape(n, config.layoutChannels(), config.height(), config.width());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 3, config.height(), config.width())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        Shape layout = layoutShape(n);
        Shape perPixelNoise = new Shape(n, config.noiseInputChannels(), config.height(), config.width());
        if (encoder != null) {
            encoder.initialize(manager, dataType, layout, perPixelNoise);
        }
        Shape previous = null;
        Shape z = new Shape(n, config.noiseChannels(), config.height(), config.width());
        for (RefinementModule module : modules) {
            Shape[] in = previous == null ? new Shape[] {layout, z} : new Shape[] {previous, layout, z};
            module.initialize(manager, dataType, in);
            previous = module.getOutputShapes(in)[0];
        }
        toRgb.initialize(manager, dataType, previous);
    }

    public ModelConfig config() {
        return config;
    }

    /** The noise encoder, or null in RAW mode. */
    public NoiseEncoder encoder() {
        return encoder;
    }

    public List<RefinementModule> modules() {
        return List.copyOf(modules);
    }

    @Override
    public String toString() {
        return "CrnGenerator" + Arrays.toString(config.moduleChannels()) + " " + config;
    }
}
