package io.cimle.core.training.distance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frozen VGG convolution stack (3x3 convs, padding 1, ReLU, 2x2 pooling) built from plain
 * NDArray ops and torchvision-named weights ({@code features.<i>.weight/bias}). The weights never
 * require gradients, so gradients reach the input but never the network.
 *
 * <p>Inputs too small for the deeper layers are handled by stopping before a pooling whose input
 * is under 2 pixels high or wide: the taps after it are skipped, with one warning per input size.
 */
public final class VggTrunk {
    private static final Logger LOG = LoggerFactory.getLogger(VggTrunk.class);

    /** One 3x3 conv: torchvision features index, channels, tap name (null if not a tap), pool after. */
    public record ConvSpec(int index, int in, int out, String tap, boolean poolAfter) {}

    /** A tapped ReLU output at pyramid scale {@code scale} (number of poolings before it). */
    public record Tap(String name, NDArray features, int scale) {}

    public enum Pooling { AVERAGE, MAX }

    /** VGG-19 up to conv5_2 (torchvision indices); taps are the ReLUs of the reference's layers. */
    public static final List<ConvSpec> VGG19_TO_CONV5_2 = List.of(
            new ConvSpec(0, 3, 64, null, false),
            new ConvSpec(2, 64, 64, "conv1_2", true),
            new ConvSpec(5, 64, 128, null, false),
            new ConvSpec(7, 128, 128, "conv2_2", true),
            new ConvSpec(10, 128, 256, null, false),
            new ConvSpec(12, 256, 256, "conv3_2", false),
            new ConvSpec(14, 256, 256, null, false),
            new ConvSpec(16, 256, 256, null, true),
            new ConvSpec(19, 256, 512, null, false),
            new ConvSpec(21, 512, 512, "conv4_2", false),
            new ConvSpec(23, 512, 512, null, false),
            new ConvSpec(25, 512, 512, null, true),
            new ConvSpec(28, 512, 512, null, false),
            new ConvSpec(30, 512, 512, "conv5_2", false));

    /** VGG-16 up to relu5_3 (torchvision indices), the LPIPS backbone. */
    public static final List<ConvSpec> VGG16_TO_CONV5_3 = List.of(
            new ConvSpec(0, 3, 64, null, false),
            new ConvSpec(2, 64, 64, "relu1_2", true),
            new ConvSpec(5, 64, 128, null, false),
            new ConvSpec(7, 128, 128, "relu2_2", true),
            new ConvSpec(10, 128, 256, null, false),
            new ConvSpec(12, 256, 256, null, false),
            new ConvSpec(14, 256, 256, "relu3_3", true),
            new ConvSpec(17, 256, 512, null, false),
            new ConvSpec(19, 512, 512, null, false),
            new ConvSpec(21, 512, 512, "relu4_3", true),
            new ConvSpec(24, 512, 512, null, false),
            new ConvSpec(26, 512, 512, null, false),
            new ConvSpec(28, 512, 512, "relu5_3", false));

    private final List<ConvSpec> specs;
    private final Pooling pooling;
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> biases = new ArrayList<>();
    private final Set<String> warnedSizes = ConcurrentHashMap.newKeySet();

    private VggTrunk(List<ConvSpec> specs, Pooling pooling) {
        this.specs = specs;
        this.pooling = pooling;
    }

    /** Takes the conv weights of {@code specs} from {@code file}, checking every shape. */
    public static VggTrunk from(NpzWeights file, List<ConvSpec> specs, Pooling pooling, NDManager manager) {
        VggTrunk trunk = new VggTrunk(specs, pooling);
        for (ConvSpec s : specs) {
            NDArray w = file.require("features." + s.index() + ".weight", new Shape(s.out(), s.in(), 3, 3));
            NDArray b = file.require("features." + s.index() + ".bias", new Shape(s.out()));
            w.attach(manager);
            b.attach(manager);
            trunk.weights.add(w);
            trunk.biases.add(b);
        }
        return trunk;
    }

    /** Every tensor of the network, to check in tests that none of them receives a gradient. */
    public List<NDArray> parameters() {
        List<NDArray> all = new ArrayList<>(weights);
        all.addAll(biases);
        return all;
    }

    /**
     * Runs the stack and returns the taps that the input size allows.
     *
     * @param x (N, 3, H, W), already normalised the way the weights expect
     */
    public List<Tap> forward(NDArray x) {
        List<Tap> taps = new ArrayList<>();
        int scale = 0;
        NDArray h = x; // (N, C, H/2^scale, W/2^scale)
        for (int i = 0; i < specs.size(); i++) {
            ConvSpec s = specs.get(i);
            h = Conv2d.conv2d(h, weights.get(i), biases.get(i), new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                    .singletonOrThrow();
            h = Activation.relu(h);
            if (s.tap() != null) {
                taps.add(new Tap(s.tap(), h, scale));
            }
            if (s.poolAfter() && i < specs.size() - 1) {
                if (h.getShape().get(2) < 2 || h.getShape().get(3) < 2) {
                    warnSkipped(x.getShape(), i + 1);
                    break;
                }
                Shape two = new Shape(2, 2);
                h = pooling == Pooling.AVERAGE
                        ? Pool.avgPool2d(h, two, two, new Shape(0, 0), false, true)
                        : Pool.maxPool2d(h, two, two, new Shape(0, 0), false);
                scale++;
            }
        }
        return taps;
    }

    private void warnSkipped(Shape input, int firstSkipped) {
        String size = input.get(2) + "x" + input.get(3);
        if (warnedSizes.add(size)) {
            List<String> skipped = specs.subList(firstSkipped, specs.size()).stream()
                    .filter(s -> s.tap() != null).map(ConvSpec::tap).toList();
            LOG.warn("input {} is too small for the deeper VGG layers: skipping {} (needs at least {} px per side)",
                    size, skipped, 1 << specs.stream().filter(ConvSpec::poolAfter).count());
        }
    }
}
