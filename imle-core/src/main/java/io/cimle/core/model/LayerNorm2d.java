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
 * Layer norm over C, H and W of each sample with one learned scale and shift per channel
 * (GroupNorm with one group): what CRN's slim.layer_norm does on NHWC maps. DJL has no GroupNorm block;
 * this runs libtorch's fused layer_norm with the per-channel affine expanded over space.
 */
public final class LayerNorm2d extends AbstractBlock {
    private static final float EPSILON = 1e-5f;

    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;

    public LayerNorm2d(int channels) {
        this.channels = channels;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ONES).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).optInitializer(Initializer.ZEROS).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                           // (N, C, H, W)
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
    static NDArray unfused(NDArray x, NDArray gamma, NDArray beta) {
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
