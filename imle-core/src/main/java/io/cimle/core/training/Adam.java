package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import io.cimle.core.model.GradMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adam, the update done by libtorch's fused kernel ({@code torch._fused_adam_}, the one PyTorch runs for
 * {@code Adam(fused=True)}: all parameters in one call, one vectorised pass over each; see
 * {@link FusedAdamProgram}), the moments kept here so they are saved with a checkpoint and a resumed run continues
 * bit for bit (DJL's optimisers keep their state where it cannot be serialised).
 *
 * <pre>
 * m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
 * p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 *
 * computed as the kernel writes it, {@code p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps)}: the same
 * update as PyTorch's, the same moments and step count in checkpoints (the step count reaches the kernel as a
 * float, exact to 2^24 steps).
 */
public final class Adam implements AutoCloseable {
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final NDManager manager;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final PtNDArray[] m;
    private final PtNDArray[] v;
    private final FusedAdamProgram program;
    private long t;
    private NDManager markManager; // holds the copy of the weights markWeights took, or null
    private PtNDArray[] mark;

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
        this.m = new PtNDArray[this.parameters.size()];
        this.v = new PtNDArray[this.parameters.size()];
        this.program = new FusedAdamProgram((PtNDManager) manager);
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
            m[i] = (PtNDArray) manager.zeros(p.getShape(), p.getDataType());
            v[i] = (PtNDArray) manager.zeros(p.getShape(), p.getDataType());
        }
        t = 0;
    }

    /** What one step saw: the gradient's squared L2 norm, and whether the update was skipped. */
    public record StepResult(double gradientSquaredNorm, boolean skipped) {
    }

    /**
     * Applies one update from the accumulated gradients, then zeroes them. Call outside a collector.
     * A step whose squared gradient norm is not finite is skipped (gradients zeroed, moments and
     * weights untouched): its g^2 would make the second moment infinite, and every later update of
     * that parameter m / sqrt(inf) = 0, so training would stop learning without a word.
     */
    public StepResult step(double learningRate) {
        try (NDScope ignored = new NDScope()) {
            PtNDArray[] weights = new PtNDArray[parameters.size()];
            PtNDArray[] gradients = new PtNDArray[parameters.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (PtNDArray) parameters.get(i).getArray();
                gradients[i] = (PtNDArray) weights[i].getGradient();
            }
            double squared = weights.length == 0 ? 0 : program.squaredNorm(gradients);
            if (!Double.isFinite(squared)) {
                zeroGradients();
                return new StepResult(squared, true);
            }
            if (squared == 0) {
                // Nothing reached the parameters: leave weights and moments as they are (momentum alone would
                // still move them), so the caller can stop on an unchanged state.
                return new StepResult(0, false);
            }
            t++;
            PtNDArray[] steps = new PtNDArray[weights.length];
            Arrays.fill(steps, (PtNDArray) manager.create((float) t));
            program.update(weights, gradients, m, v, steps, learningRate, beta1, beta2, epsilon);
            return new StepResult(squared, false);
        }
    }

    /**
     * Remembers the weights as they are now, for {@link #rmsMoveSinceMark}: a copy of every trained parameter
     * beside the two moments (a third of the optimiser's memory more), replacing an earlier mark. Reads the
     * weights only, without recording a graph.
     */
    public void markWeights() {
        clearMark();
        NDManager copies = manager.newSubManager();
        PtNDArray[] copy = new PtNDArray[parameters.size()];
        GradMode.withoutGradients(() -> {
            for (int i = 0; i < copy.length; i++) {
                copy[i] = (PtNDArray) parameters.get(i).getArray().duplicate();
                copy[i].attach(copies);
            }
        });
        markManager = copies;
        mark = copy;
    }

    /**
     * How far the weights moved since {@link #markWeights}: the root mean square over every trained weight of its
     * change, in the weights' units (Adam moves a weight with a gradient by about the learning rate per step);
     * NaN without a mark. Costs one subtraction per parameter and one norm over them all.
     */
    public double rmsMoveSinceMark() {
        if (mark == null) {
            return Double.NaN;
        }
        if (mark.length == 0) {
            return 0;
        }
        return GradMode.withoutGradients(() -> {
            try (NDScope ignored = new NDScope()) {
                PtNDArray[] moves = new PtNDArray[mark.length];
                long count = 0;
                for (int i = 0; i < mark.length; i++) {
                    NDArray w = parameters.get(i).getArray();
                    moves[i] = (PtNDArray) w.sub(mark[i]);
                    count += w.size();
                }
                return Math.sqrt(program.squaredNorm(moves) / Math.max(1, count));
            }
        });
    }

    /** Drops the copy {@link #markWeights} took. */
    public void clearMark() {
        if (markManager != null) {
            markManager.close();
        }
        markManager = null;
        mark = null;
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
        for (Parameter p : parameters) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
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
            m[i] = (PtNDArray) mi;
            v[i] = (PtNDArray) vi;
        }
        t = stepCount;
    }

    @Override
    public void close() {
        clearMark();
        program.close();
        manager.close();
    }
}
