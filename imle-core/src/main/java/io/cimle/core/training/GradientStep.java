package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.cimle.core.data.ClassMap;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LayoutTensors;
import io.cimle.core.training.distance.Distance;
import java.util.List;

/**
 * One of IMLE's K gradient steps: forward a sub-batch of (layout, kept code) pairs, backward the
 * distance to their photos, one Adam update. Refuses (throws) on a non-finite loss or gradient, and on
 * none at all: either means a fault, and the run stops on an unchanged state.
 */
final class GradientStep {
    private final GeneratorNetwork network;
    private final Distance distance;
    private final Adam adam;
    private final TrainingMode mode;

    GradientStep(GeneratorNetwork network, Distance distance, Adam adam, TrainingMode mode) {
        this.network = network;
        this.distance = distance;
        this.adam = adam;
        this.mode = mode;
    }

    /**
     * @param epoch      the epoch and the step being taken (1-based within the run), for what a failure says
     * @return the sub-batch's mean loss
     */
    double take(TrainingData data, int[] idx, List<LatentCode> codes, double learningRate, int epoch, long step) {
        double loss = forwardBackward(data, idx, codes, learningRate, epoch, step);
        Adam.StepResult result = adam.step(learningRate);
        // Neither can come from a constant freed by the JVM before the backward pass read it (Scalars
        // keeps the step's constants alive), so either means a real fault.
        if (result.skipped()) {
            throw new TrainingDivergedException(epoch, step, result.gradientSquaredNorm(),
                    "The gradient's squared norm was not finite (loss " + loss + "); the weights were left as they "
                            + "were. Try a lower learning rate (now " + learningRate + ").");
        }
        if (!(result.gradientSquaredNorm() > 0)) {
            // A pixel-wise loss always has a gradient: none at all means training would go on without
            // learning and without saying so.
            throw new NoGradientException(epoch, step, "squared gradient norm " + result.gradientSquaredNorm()
                    + ", loss " + loss + ", " + adam.parametersWithoutGradient() + " of " + adam.parameterCount()
                    + " parameters without a gradient tensor");
        }
        return loss;
    }

    /** Forward and backward of one sub-batch (gradients accumulate on the parameters); the mean loss. */
    private double forwardBackward(TrainingData data, int[] idx, List<LatentCode> codes, double learningRate,
                                   int epoch, long step) {
        double loss;
        try (NDManager sub = network.manager().newSubManager()) {
            List<ClassMap> layouts = data.layoutsOf(idx);
            NDList layoutAndParts = LayoutTensors.layoutAndParts(sub, layouts, network.config());
            NDArray layout = layoutAndParts.get(0); // (b, C or C+1, H, W)
            NDArray target = data.photos255(sub, idx); // (b, 3, H, W)
            NDArray weights = data.weights(sub, idx); // (b, 1, H, W) or null
            NDArray noise = mode == TrainingMode.IMLE ? network.noiseFor(codes, sub)
                    : network.zeroNoise(sub, idx.length);
            NDArray parts = layoutAndParts.get(1); // (b, P, H, W)
            try (GradientCollector collector = sub.getEngine().newGradientCollector()) {
                NDArray generated = ImageTensors.to255(network.forward(layout, noise, parts, true));
                NDArray value = distance.perSample(generated, target, weights).mean();
                loss = value.getFloat();
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException(epoch, step, loss,
                            "Try a lower learning rate (now " + learningRate + ") or resume from the last checkpoint.");
                }
                collector.backward(value);
            }
        }
        return loss;
    }
}
