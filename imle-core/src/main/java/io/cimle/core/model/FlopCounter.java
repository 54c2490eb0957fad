package io.cimle.core.model;

/**
 * Static estimates for a {@link ModelConfig}: parameter count (exact) and forward FLOPs per
 * sample (convolutions as 2 * multiply-adds, plus ~10 FLOPs per element for each layer norm and
 * activation; resizes are ignored, they are a small fraction).
 */
public final class FlopCounter {
    private static final long NORM_ACT_FLOPS_PER_ELEMENT = 10;

    private FlopCounter() {
    }

    public static long parameterCount(ModelConfig c) {
        long count = 0;
        if (c.hasEncoder()) {
            int in = c.layoutChannels() + c.noiseInputChannels();
            int w = c.encoderWidth();
            int k = c.pointwiseEncoder() ? 1 : 9;
            int bias = c.pointwiseEncoder() ? w : 0;   // the 1x1 convolutions carry a bias, the 3x3 ones do not
            count += (long) k * in * w + bias + 2L * w; // conv1 + norm1
            count += (long) k * w * w + bias + 2L * w;  // conv2 + norm2
            count += (long) w * c.noiseChannels() + c.noiseChannels(); // 1x1 projection with bias
        }
        int previous = 0;
        for (int i = 0; i < c.moduleCount(); i++) {
            int in = previous + c.layoutChannels() + c.noiseChannels();
            int out = c.moduleChannels(i);
            count += 9L * in * out + 2L * out + 9L * out * out + 2L * out;
            if (c.codeModulation()) {
                count += 4L * (c.noiseChannels() * out + out); // two 1x1 scales and shifts with bias
            }
            previous = out;
        }
        return count + 3L * previous + 3;              // toRgb 1x1 with bias
    }

    public static long forwardFlops(ModelConfig c) {
        long flops = 0;
        long pixels = (long) c.height() * c.width();
        if (c.hasEncoder()) {
            int in = c.layoutChannels() + c.noiseInputChannels();
            int w = c.encoderWidth();
            int k = c.pointwiseEncoder() ? 1 : 9;
            flops += pixels * (2L * k * in * w + 2L * k * w * w + 2L * w * c.noiseChannels());
            flops += pixels * 2L * w * NORM_ACT_FLOPS_PER_ELEMENT;
        }
        int previous = 0;
        for (int i = 0; i < c.moduleCount(); i++) {
            long p = (long) c.moduleHeight(i) * c.moduleWidth(i);
            int in = previous + c.layoutChannels() + c.noiseChannels();
            int out = c.moduleChannels(i);
            flops += p * (2L * 9 * in * out + 2L * 9 * out * out);
            flops += p * 2L * out * NORM_ACT_FLOPS_PER_ELEMENT;
            if (c.codeModulation()) {
                flops += p * 4L * (2L * c.noiseChannels() * out + 2L * out);
            }
            previous = out;
        }
        return flops + pixels * 2L * 3 * previous;
    }
}
