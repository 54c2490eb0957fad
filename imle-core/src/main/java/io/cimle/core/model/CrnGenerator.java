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
 * <p>Inputs: {@code layout (N, C, H, W)} one-hot, and the raw noise: {@code (N, Z, H, W)} for
 * ENCODER and RAW, {@code (N, d)} for VECTOR. Output {@code (N, 3, H, W)} in [-1, 1] space (unclamped).
 */
public final class CrnGenerator extends AbstractBlock {
    private final ModelConfig config;
    private final NoiseEncoder encoder; // null in RAW mode
    private final List<RefinementModule> modules = new ArrayList<>();
    private final Conv2d toRgb;

    public CrnGenerator(ModelConfig config) {
        this.config = config;
        int layoutChannels = config.channels();
        int noiseChannels = config.noiseChannels(); // what every module receives, encoded or raw
        if (config.hasEncoder()) {
            encoder = addChildBlock("encoder", new NoiseEncoder(layoutChannels, config.noiseInputChannels(),
                    config.encoderWidth(), noiseChannels, config.leakySlope()));
        } else {
            encoder = null;
        }
        int previous = 0; // the coarsest module sees no features
        for (int i = 0; i < config.moduleCount(); i++) {
            int out = config.moduleChannels(i);
            // input channels = previous + layoutChannels + noiseChannels
            modules.add(addChildBlock("module" + i, new RefinementModule(config.moduleHeight(i),
                    config.moduleWidth(i), previous, layoutChannels, noiseChannels, out, config.leakySlope())));
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
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray layout = inputs.get(0);                                     // (N, C, H, W)
        NDArray noise = inputs.get(1);                                      // (N, Zin, H, W) or (N, d)
        checkInputs(layout, noise);
        long n = layout.getShape().get(0);
        NDArray z = switch (config.noiseMode()) {
            case RAW -> noise;                                              // (N, Z, H, W)
            case ENCODER -> encoder.forward(store, new NDList(layout, noise), training).head(); // (N, Z, H, W)
            case VECTOR -> encoder.forward(store, new NDList(layout, vectorCodeInput(layout, noise)), training)
                    .head(); // (N, Z, H, W)
        };
        NDArray features = null;
        for (RefinementModule module : modules) {
            NDList in = features == null ? new NDList(layout, z) : new NDList(features, layout, z);
            features = module.forward(store, in, training).head();          // (N, Ci, h_i, w_i)
        }
        return toRgb.forward(store, new NDList(features), training);        // (N, 3, H, W)
    }

    /**
     * The encoder's code input for vector codes: the global part tiled over the image, and with region
     * blocks, at every pixel the block of that pixel's class (a soft layout mixes its classes' blocks).
     */
    private NDArray vectorCodeInput(NDArray layout, NDArray code) {
        long n = code.getShape().get(0);
        int global = config.noiseVectorDim();
        long h = config.height();
        long w = config.width();
        NDArray tiled = code.get(":, :{}", global).reshape(n, global, 1, 1).tile(new long[] {1, 1, h, w}); // (N, d, H, W)
        if (config.regionCodeDim() == 0) {
            return tiled;
        }
        int c = config.channels();
        NDArray blocks = code.get(":, {}:", global).reshape(n, c, config.regionCodeDim()); // (N, C, r)
        NDArray perPixel = blocks.transpose(0, 2, 1).matMul(layout.reshape(n, c, h * w))      // (N, r, H*W)
                .reshape(n, config.regionCodeDim(), h, w);
        return tiled.concat(perPixel, 1);                                                  // (N, d + r, H, W)
    }

    private void checkInputs(NDArray layout, NDArray noise) {
        Shape l = layout.getShape();
        Shape expectedLayout = new Shape(l.get(0), config.channels(), config.height(), config.width());
        if (!l.equals(expectedLayout)) {
            throw new IllegalArgumentException("layout tensor must be (N, " + config.channels() + ", "
                    + config.height() + ", " + config.width() + "), got " + l);
        }
        Shape expectedNoise = noiseShape(l.get(0));
        if (!noise.getShape().equals(expectedNoise)) {
            throw new IllegalArgumentException("noise tensor must be " + expectedNoise + " for noise mode "
                    + config.noiseMode() + ", got " + noise.getShape());
        }
    }

    /** Shape of the raw noise input for a batch of n. */
    public Shape noiseShape(long n) {
        return config.noiseMode() == NoiseMode.VECTOR ? new Shape(n, config.codeVectorLength())
                : new Shape(n, config.noiseChannels(), config.height(), config.width());
    }

    public Shape layoutShape(long n) {
        return new Shape(n, config.channels(), config.height(), config.width());
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
