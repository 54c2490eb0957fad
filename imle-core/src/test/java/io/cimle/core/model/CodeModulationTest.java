package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.cimle.core.data.ClassMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Code modulation: the code at each scale scales and shifts a module's normalised features. */
class CodeModulationTest {
    private static final int CLASSES = 4;

    private static ModelConfig modulated(ModelConfig base) {
        return base.withCode(base.code().with("codeModulation", true));
    }

    /** 32x16: class 0 above, class 2 below, one car of class 1. */
    private static ClassMap layout() {
        int[] ids = new int[32 * 16];
        for (int p = 0; p < ids.length; p++) {
            int x = p % 32;
            int y = p / 32;
            ids[p] = y < 8 ? 0 : x >= 10 && x < 16 && y < 12 ? 1 : 2;
        }
        return new ClassMap(32, 16, CLASSES, ids);
    }

    @Test
    void theSwitchIsSavedAndItsParametersCounted() {
        ModelConfig plain = Presets.tiny(CLASSES);
        ModelConfig config = modulated(plain);
        assertEquals(config, ModelConfig.fromJson(config.toJson()), "the switch is saved with the model");
        assertEquals(false, ModelConfig.fromJson(plain.toJson()).codeModulation(), "an earlier model has none");
        try (GeneratorNetwork net = GeneratorNetwork.create(config, Device.cpu(), 5)) {
            assertEquals(FlopCounter.parameterCount(config), net.parameterCount());
        }
        int modules = config.moduleCount();
        long added = FlopCounter.parameterCount(config) - FlopCounter.parameterCount(plain);
        long expected = 0;
        for (int i = 0; i < modules; i++) {
            expected += 4L * (config.noiseChannels() + 1) * config.moduleChannels(i);
        }
        assertEquals(expected, added, "two scales and two shifts (1x1, with bias) per module");
        assertTrue(FlopCounter.forwardFlops(config) > FlopCounter.forwardFlops(plain));
        // Every switch of the form that changes the network is counted, alone and together.
        ModelConfig all = config.withCode(config.code().with("instanceEdges", true).with("pointwiseEncoder", true));
        for (ModelConfig c : List.of(all, plain.withCode(plain.code().with("pointwiseEncoder", true)),
                plain.withCode(plain.code().with("instanceEdges", true)))) {
            try (GeneratorNetwork net = GeneratorNetwork.create(c, Device.cpu(), 5)) {
                assertEquals(FlopCounter.parameterCount(c), net.parameterCount(), c.toString());
            }
        }
    }

    @Test
    void aNewModelStartsAsTheOneWithoutAndTheCodeThenScalesItsFeatures() {
        ModelConfig plain = Presets.tiny(CLASSES);
        ModelConfig config = modulated(plain);
        LatentCode a = LatentCode.fromSeed(3, LatentCodes.shapeFor(config));
        LatentCode b = LatentCode.fromSeed(4, LatentCodes.shapeFor(config));
        try (GeneratorNetwork net = GeneratorNetwork.create(config, Device.cpu(), 5);
             GeneratorNetwork reference = GeneratorNetwork.create(plain, Device.cpu(), 5)) {
            NDList in = net.inputs(net.manager(), List.of(layout()), List.of(a));
            float[] start = net.forward(in, false).toFloatArray();
            assertArrayEquals(reference.forward(reference.inputs(reference.manager(), List.of(layout()), List.of(a)),
                    false).toFloatArray(), start, 1e-6f, "zero scales and shifts: the reference's image");

            // Parameter names (the reference's first, in their order) keep an earlier checkpoint's meaning.
            // Give the last module's scale a weight: the same code now draws another image, and the change depends
            // on the code (it multiplies the features by a function of it).
            int last = config.moduleCount() - 1;
            List<String> names = new java.util.ArrayList<>();
            int touched = 0;
            for (Pair<String, Parameter> p : net.parameters()) {
                names.add(p.getKey());
                if (p.getKey().contains("module" + last + "_") && p.getKey().endsWith("scale2_weight")) {
                    p.getValue().getArray().addi(0.5f);
                    touched++;
                }
            }
            assertEquals(1, touched, names.toString());
            float[] modulatedA = net.forward(in, false).toFloatArray();
            assertNotEquals(0f, maxAbsDiff(start, modulatedA), "the scale reaches the image");
            float[] plainB = reference.forward(reference.inputs(reference.manager(), List.of(layout()), List.of(b)),
                    false).toFloatArray();
            float[] modulatedB = net.forward(net.inputs(net.manager(), List.of(layout()), List.of(b)), false)
                    .toFloatArray();
            float shiftA = maxAbsDiff(start, modulatedA);
            float shiftB = maxAbsDiff(plainB, modulatedB);
            assertNotEquals(shiftA, shiftB, 1e-4f, "how far the image moves depends on the code");
        }
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
