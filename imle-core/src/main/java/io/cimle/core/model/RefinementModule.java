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
import ai.djl.util.PairList;

/**
 * One CRN scale: [upsampled previous features, layout at this scale, noise at this scale] ->
 * (conv 3x3 without bias -> layer norm -> leaky ReLU) twice; with code modulation each layer norm's output is
 * scaled by (1 + gamma(z)) and shifted by beta(z), gamma and beta 1x1 convolutions of the code at this scale.
 *
 * <p>Inputs: {@code (previous, layout, noise)}, or {@code (layout, noise)} for the coarsest module;
 * layout and noise come at full resolution and are resized here.
 */
public final class RefinementModule extends AbstractBlock {
    private final int height;
    private final int width;
    private final int previousChannels;
    private final int inputChannels;
    private final int outputChannels;
    private final float leakySlope;
    private final boolean regionPooling;

    private final Conv2d conv1;
    private final LayerNorm2d norm1;
    private final Conv2d conv2;
    private final LayerNorm2d norm2;
    private final Conv2d scale1; // null without code modulation
    private final Conv2d shift1;
    private final Conv2d scale2;
    private final Conv2d shift2;
    private final int noiseChannels;

    /**
     * @param previousChannels channels of the previous module's output, 0 for the coarsest module
     * @param regionPooling    the code is pooled over its code parts ({@link ModelConfig#regionPooling}): the noise is
     *                         resized by area averaging, as the layout is (constant on each part, so averaging keeps
     *                         its variance and a coarse cell holds each part's code by its share of the cell); point
     *                         sampling otherwise (see {@link Resize#sample})
     * @param pixelNorm        layer norms over each pixel's channels ({@link LayerNorm2d})
     * @param codeModulation   the code at this scale scales and shifts each layer norm's output
     *                         ({@link ModelConfig.CodeForm#codeModulation})
     */
    public RefinementModule(int height, int width, int previousChannels, int layoutChannels, int noiseChannels,
                            int outputChannels, double leakySlope, boolean regionPooling, boolean pixelNorm,
                            boolean codeModulation) {
        this.regionPooling = regionPooling;
        this.height = height;
        this.width = width;
        this.previousChannels = previousChannels;
        this.inputChannels = previousChannels + layoutChannels + noiseChannels;
        this.outputChannels = outputChannels;
        this.leakySlope = (float) leakySlope;
        this.noiseChannels = noiseChannels;
        conv1 = addChildBlock("conv1", conv3x3(outputChannels));
        norm1 = addChildBlock("norm1", new LayerNorm2d(outputChannels, pixelNorm));
        conv2 = addChildBlock("conv2", conv3x3(outputChannels));
        norm2 = addChildBlock("norm2", new LayerNorm2d(outputChannels, pixelNorm));
        // Added after the reference's blocks, so a model without modulation keeps its parameter order and names.
        scale1 = codeModulation ? addChildBlock("scale1", conv1x1(outputChannels)) : null;
        shift1 = codeModulation ? addChildBlock("shift1", conv1x1(outputChannels)) : null;
        scale2 = codeModulation ? addChildBlock("scale2", conv1x1(outputChannels)) : null;
        shift2 = codeModulation ? addChildBlock("shift2", conv1x1(outputChannels)) : null;
    }

    /**
     * Zero scales and shifts: a new model starts as the one without modulation, and the code's share grows as it
     * is learnt (called after the generator's own initialisers, which would give them Xavier weights).
     */
    void useModulationInitialisation() {
        for (Conv2d c : new Conv2d[] {scale1, shift1, scale2, shift2}) {
            if (c != null) {
                c.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
            }
        }
    }

    /** With bias: nothing follows it that would shift. */
    static Conv2d conv1x1(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build();
    }

    /** No bias: the layer norm's shift follows. */
    static Conv2d conv3x3(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters)
                .optBias(false).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        boolean first = previousChannels == 0;
        NDArray layout = inputs.get(first ? 0 : 1);                          // (N, C, H, W) full size
        NDArray noise = inputs.get(first ? 1 : 2);                           // (N, Z, H, W) full size
        NDList parts = new NDList();
        if (!first) {
            parts.add(Resize.bilinear(inputs.get(0), height, width));        // (N, P, h, w)
        }
        parts.add(Resize.area(layout, height, width));                       // (N, C, h, w)
        NDArray z = regionPooling ? Resize.area(noise, height, width) : Resize.sample(noise, height, width); // (N, Z, h, w)
        parts.add(z);
        NDArray x = NDArrays.concat(parts, 1);                               // (N, P+C+Z, h, w)
        x = conv1.forward(store, new NDList(x), training).head();           // (N, out, h, w)
        x = norm1.forward(store, new NDList(x), training).head();
        x = Activation.leakyRelu(modulate(store, x, z, scale1, shift1, training), leakySlope);
        x = conv2.forward(store, new NDList(x), training).head();           // (N, out, h, w)
        x = norm2.forward(store, new NDList(x), training).head();
        x = Activation.leakyRelu(modulate(store, x, z, scale2, shift2, training), leakySlope);
        return new NDList(x);
    }

    /** {@code x * (1 + scale(z)) + shift(z)}, or {@code x} without code modulation. */
    private static NDArray modulate(ParameterStore store, NDArray x, NDArray z, Conv2d scale, Conv2d shift,
                                    boolean training) {
        if (scale == null) {
            return x;
        }
        NDArray gamma = scale.forward(store, new NDList(z), training).head();  // (N, out, h, w)
        NDArray beta = shift.forward(store, new NDList(z), training).head();   // (N, out, h, w)
        return x.add(x.mul(gamma)).add(beta);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[inputShapes.length - 1].get(0);
        return new Shape[] {new Shape(n, outputChannels, height, width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[inputShapes.length - 1].get(0);
        Shape in = new Shape(n, inputChannels, height, width);
        Shape out = new Shape(n, outputChannels, height, width);
        conv1.initialize(manager, dataType, in);
        norm1.initialize(manager, dataType, out);
        conv2.initialize(manager, dataType, out);
        norm2.initialize(manager, dataType, out);
        if (scale1 != null) {
            Shape code = new Shape(n, noiseChannels, height, width);
            scale1.initialize(manager, dataType, code);
            shift1.initialize(manager, dataType, code);
            scale2.initialize(manager, dataType, code);
            shift2.initialize(manager, dataType, code);
        }
    }

    public int inputChannels() {
        return inputChannels;
    }

    public int outputChannels() {
        return outputChannels;
    }
}
