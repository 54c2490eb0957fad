package io.cimle.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Layer norm with one learned scale and shift per channel, over C, H and W of each sample (GroupNorm with one
 * group: what CRN's slim.layer_norm does on NHWC maps), or with {@code perPixel} over the C channels of each
 * pixel alone. Per pixel, a pixel's features do not depend on the statistics of the rest of the image: one
 * region's code (the sky's) cannot shift another's (a car's), which is what choosing each part of the code on
 * its own (regional selection) assumes. DJL has no GroupNorm block; both run libtorch's fused layer_norm.
 */
public final class LayerNorm2d extends AbstractBlock {
    private static final float EPSILON = 1e-5f;

    private final int channels;
    private final boolean perPixel;
    private final Parameter gamma;
    private final Parameter beta;

    /** Over C, H and W: CRN's layer norm. */
    public LayerNorm2d(int channels) {
        this(channels, false);
    }

    /** @param perPixel over each pixel's channels alone, else over C, H and W */
    public LayerNorm2d(int channels, boolean perPixel) {
        this.channels = channels;
        this.perPixel = perPixel;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ONES).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ZEROS).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                           // (N, C, H, W)
        if (perPixel) {
            // Channels last, a view: layer_norm normalises the trailing dimension, with the affine as it is.
            NDArray g = store.getValue(gamma, x.getDevice(), training);
            NDArray b = store.getValue(beta, x.getDevice(), training);
            NDArray y = LayerNorm.layerNorm(x.transpose(0, 2, 3, 1), new Shape(channels), g, b, EPSILON).head();
            return new NDList(y.transpose(0, 3, 1, 2));                 // (N, C, H, W)
        }
        Shape shape = x.getShape();
        Shape perSample = shape.slice(1);                                // (C, H, W)
        // libtorch's fused layer_norm over (C, H, W): one pass instead of nine elementwise ones; its
        // element-wise affine takes the per-channel scale and shift expanded over (H, W) (a view, and the
        // gradient of an expand sums back to the channel).
        NDArray scale = store.getValue(gamma, x.getDevice(), training).reshape(channels, 1, 1).broadcast(perSample);
        NDArray shift = store.getValue(beta, x.getDevice(), training).reshape(channels, 1, 1).broadcast(perSample);
        scale.attach(x.getManager()); // views go to the batch's manager, not the parameters' one
        shift.attach(x.getManager());
        return LayerNorm.layerNorm(x, perSample, scale, shift, EPSILON);  // (N, C, H, W)
    }

    /**
     * The same normalisation in elementwise ops (mean, centre, variance, divide, affine): the reference the
     * fused path is tested against.
     */
    static NDArray unfused(NDArray x, NDArray gamma, NDArray beta, boolean perPixel) {
        if (perPixel) {
            NDArray mean = x.mean(new int[] {1}, true);                  // (N, 1, H, W)
            NDArray centred = x.sub(mean);
            NDArray variance = centred.square().mean(new int[] {1}, true);
            long c = x.getShape().get(1);
            return centred.div(Scalars.plus(variance, EPSILON).sqrt()).mul(gamma.reshape(1, c, 1, 1))
                    .add(beta.reshape(1, c, 1, 1));
        }
        Shape shape = x.getShape();
        NDArray flat = x.reshape(shape.get(0), -1);                      // (N, C*H*W)
        NDArray mean = flat.mean(new int[] {1}, true);                   // (N, 1)
        NDArray centred = flat.sub(mean);
        NDArray variance = centred.square().mean(new int[] {1}, true);
        NDArray normalised = centred.div(Scalars.plus(variance, EPSILON).sqrt()).reshape(shape);
        long c = shape.get(1);
        return normalised.mul(gamma.reshape(1, c, 1, 1)).add(beta.reshape(1, c, 1, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
