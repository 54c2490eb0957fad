package io.cimle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

/**
 * The paper's noise encoder: it pushes the per-pixel noise onto a layout-dependent,
 * low-dimensional manifold before it reaches the modules.
 * [layout one-hot, raw noise] -> conv3x3 -> LN -> lrelu -> conv3x3 -> LN -> lrelu -> conv1x1.
 *
 * <p>Inputs: {@code (layout (N, C, H, W), noise (N, Zin, H, W))}; output {@code (N, noiseChannels, H, W)}.
 */
public final class NoiseEncoder extends AbstractBlock {
    /** Reference initialisation: truncated normal (cut at 2 sigma), std 0.15. */
    public static final float INIT_STD = 0.15f;

    private final int inputChannels;
    private final int width;
    private final int outputChannels;
    private final float leakySlope;

    private final Conv2d conv1;
    private final LayerNorm2d norm1;
    private final Conv2d conv2;
    private final LayerNorm2d norm2;
    private final Conv2d project;

    public NoiseEncoder(int layoutChannels, int noiseInputChannels, int width, int outputChannels, double leakySlope) {
        this(layoutChannels, noiseInputChannels, width, outputChannels, leakySlope, false);
    }

    /** @param pixelNorm layer norms over each pixel's channels ({@link LayerNorm2d}) */
    public NoiseEncoder(int layoutChannels, int noiseInputChannels, int width, int outputChannels, double leakySlope,
                        boolean pixelNorm) {
        this(layoutChannels, noiseInputChannels, width, outputChannels, leakySlope, pixelNorm, false);
    }

    /**
     * @param pointwise 1x1 convolutions instead of 3x3: each pixel's code is a function of its own noise and class
     *                  only, so a part's code (pooled per part) does not take in a touching neighbour's noise
     */
    public NoiseEncoder(int layoutChannels, int noiseInputChannels, int width, int outputChannels, double leakySlope,
                        boolean pixelNorm, boolean pointwise) {
        this.inputChannels = layoutChannels + noiseInputChannels;
        this.width = width;
        this.outputChannels = outputChannels;
        this.leakySlope = (float) leakySlope;
        conv1 = addChildBlock("conv1", pointwise ? RefinementModule.conv1x1(width) : RefinementModule.conv3x3(width));
        norm1 = addChildBlock("norm1", new LayerNorm2d(width, pixelNorm));
        conv2 = addChildBlock("conv2", pointwise ? RefinementModule.conv1x1(width) : RefinementModule.conv3x3(width));
        norm2 = addChildBlock("norm2", new LayerNorm2d(width, pixelNorm));
        project = addChildBlock("project", RefinementModule.conv1x1(outputChannels));
        useReferenceInitialisation();
    }

    /** (Re)sets the initialisers; called again before the encoder is re-initialised mid-training. */
    void useReferenceInitialisation() {
        setInitializer(new TruncatedNormalInitializer(INIT_STD), Parameter.Type.WEIGHT);
        setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        setInitializer(Initializer.ONES, Parameter.Type.GAMMA);
        setInitializer(Initializer.ZEROS, Parameter.Type.BETA);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = NDArrays.concat(new NDList(inputs.get(0), inputs.get(1)), 1); // (N, C+Zin, H, W)
        x = conv1.forward(store, new NDList(x), training).head();                 // (N, width, H, W)
        x = Activation.leakyRelu(norm1.forward(store, new NDList(x), training).head(), leakySlope);
        x = conv2.forward(store, new NDList(x), training).head();                 // (N, width, H, W)
        x = Activation.leakyRelu(norm2.forward(store, new NDList(x), training).head(), leakySlope);
        return project.forward(store, new NDList(x), training);                   // (N, Z, H, W)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape layout = inputShapes[0];
        return new Shape[] {new Shape(layout.get(0), outputChannels, layout.get(2), layout.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape layout = inputShapes[0];
        long n = layout.get(0);
        long h = layout.get(2);
        long w = layout.get(3);
        Shape hidden = new Shape(n, width, h, w);
        conv1.initialize(manager, dataType, new Shape(n, inputChannels, h, w));
        norm1.initialize(manager, dataType, hidden);
        conv2.initialize(manager, dataType, hidden);
        norm2.initialize(manager, dataType, hidden);
        project.initialize(manager, dataType, hidden);
    }
}
