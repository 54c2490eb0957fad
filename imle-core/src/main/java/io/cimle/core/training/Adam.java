package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam written from NDArray ops, so its moments can be saved with a checkpoint and a resumed run
 * continues bit for bit (DJL's optimisers keep their state where it cannot be serialised).
 *
 * <pre>
 * m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
 * p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 */
public final class Adam implements AutoCloseable {
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final NDManager manager;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final NDArray[] m;
    private final NDArray[] v;
    private long t;

    public Adam(ParameterList parameters, NDManager parent, double beta1, double beta2, double epsilon) {
        for (Pair<String, Parameter> p : parameters) {
            if (p.getValue().requiresGradient()) {
                names.add(p.getKey());
                this.parameters.add(p.getValue());
            }
        }
        this.manager = parent.newSubManager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new NDArray[this.parameters.size()];
        this.v = new NDArray[this.parameters.size()];
        reset();
    }

    /** Zero moments and step count: a fresh optimiser (the reference resets Adam at the decay). */
    public void reset() {
        for (int i = 0; i < parameters.size(); i++) {
            NDArray p = parameters.get(i).getArray();
            if (m[i] != null) {
                m[i].close();
                v[i].close();
            }
            m[i] = manager.zeros(p.getShape(), p.getDataType());
            v[i] = manager.zeros(p.getShape(), p.getDataType());
        }
        t = 0;
    }

    /** What one step saw: the gradient's L1 norm and squared L2 norm, and whether the update was skipped. */
    public record StepResult(double gradientL1, double gradientSquaredNorm, boolean skipped) {
    }

    /**
     * Applies one update from the accumulated gradients, then zeroes them. Call outside a collector.
     * A step whose squared gradient norm is not finite is skipped (gradients zeroed, moments and
     * weights untouched): its g^2 would make the second moment infinite, and every later update of
     * that parameter m / sqrt(inf) = 0, so training would stop learning without a word.
     */
    public StepResult step(double learningRate) {
        double l1;
        double squared;
        try (NDScope ignored = new NDScope()) {
            NDArray l1Sum = null;
            NDArray squaredSum = null;
            for (Parameter p : parameters) {
                NDArray g = p.getArray().getGradient();
                NDArray a = g.abs().sum();
                NDArray q = g.square().sum();
                l1Sum = l1Sum == null ? a : l1Sum.addi(a);
                squaredSum = squaredSum == null ? q : squaredSum.addi(q);
            }
            l1 = l1Sum == null ? 0 : l1Sum.getFloat();
            squared = squaredSum == null ? 0 : squaredSum.getFloat();
        }
        if (!Double.isFinite(squared) || !Double.isFinite(l1)) {
            zeroGradients();
            return new StepResult(l1, squared, true);
        }
        if (l1 == 0) {
            // Nothing reached the parameters: leave weights and moments as they are (momentum alone would
            // still move them), so the caller can stop on an unchanged state.
            return new StepResult(0, squared, false);
        }
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        // Temporaries of the update die with the scope; m, v and the weights change in place.
        try (NDScope ignored = new NDScope()) {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray w = parameters.get(i).getArray();
                NDArray g = w.getGradient();
                m[i].muli(beta1).addi(g.mul(1 - beta1));
                v[i].muli(beta2).addi(g.square().muli(1 - beta2));
                NDArray denominator = v[i].div(c2).sqrt().addi(epsilon);
                w.subi(m[i].mul(learningRate / c1).divi(denominator));
                g.subi(g);
            }
        }
        return new StepResult(l1, squared, false);
    }

    /** How many parameters have no gradient tensor at all (libtorch's grad undefined): for diagnostics. */
    public int parametersWithoutGradient() {
        int missing = 0;
        for (Parameter p : parameters) {
            if (JniUtils.getGradient((PtNDArray) p.getArray()) == null) {
                missing++;
            }
        }
        return missing;
    }

    public int parameterCount() {
        return parameters.size();
    }

    /** Zeroes the gradients without updating (after a step that was refused). */
    public void zeroGradients() {
        try (NDScope ignored = new NDScope()) {
            for (Parameter p : parameters) {
                NDArray g = p.getArray().getGradient();
                g.subi(g);
            }
        }
    }

    public long stepCount() {
        return t;
    }

    /** m and v of every parameter, in parameter order, as DJL's NDList encoding (exact floats). */
    public byte[] encodeMoments() {
        NDList list = new NDList();
        for (int i = 0; i < parameters.size(); i++) {
            list.add(m[i]);
            list.add(v[i]);
        }
        return list.encode();
    }

    /** Restores what {@link #encodeMoments} wrote, with its step count. */
    public void restore(byte[] moments, long stepCount) {
        NDList list = NDList.decode(manager, moments);
        if (list.size() != 2 * parameters.size()) {
            throw new IllegalArgumentException("optimizer state holds " + list.size() / 2 + " parameters' moments,"
                    + " the network has " + parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            NDArray mi = list.get(2 * i);
            NDArray vi = list.get(2 * i + 1);
            if (!mi.getShape().equals(parameters.get(i).getArray().getShape())) {
                throw new IllegalArgumentException("optimizer state for parameter " + names.get(i) + " has shape "
                        + mi.getShape() + ", the network's is " + parameters.get(i).getArray().getShape());
            }
            m[i].close();
            v[i].close();
            m[i] = mi;
            v[i] = vi;
        }
        t = stepCount;
    }

    @Override
    public void close() {
        manager.close();
    }
}
