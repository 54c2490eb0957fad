package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.ClassMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The instance edge channel: where touching objects of one class meet, and a network that reads it. */
class InstanceEdgesTest {
    private static final int CLASSES = 4;
    private static final int CAR = 1;

    /** 32x16 of class 0 with two 4x3 cars bumper to bumper at x 4..7 and 8..11, y 10..12, named 1 and 2. */
    private static ClassMap touchingPair() {
        int[] ids = new int[32 * 16];
        int[] instances = new int[ids.length];
        for (int y = 10; y < 13; y++) {
            for (int x = 4; x < 12; x++) {
                ids[y * 32 + x] = CAR;
                instances[y * 32 + x] = x < 8 ? 1 : 2;
            }
        }
        return new ClassMap(32, 16, CLASSES, ids, instances);
    }

    @Test
    void theEdgeChannelMarksWhereTwoObjectsOfOneClassMeetAndNothingElse() {
        ModelConfig edges = Presets.tiny(CLASSES).withCode(Presets.tiny(CLASSES).code().with("instanceEdges", true));
        assertEquals(CLASSES + 1, edges.layoutChannels());
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray input = LayoutTensors.layoutAndParts(m, List.of(touchingPair()), edges).get(0);
            assertArrayEquals(new long[] {1, CLASSES + 1, 16, 32}, input.getShape().getShape());
            float[] edge = input.get(":, {}, :, :", CLASSES).toFloatArray();
            for (int p = 0; p < edge.length; p++) {
                int x = p % 32;
                int y = p / 32;
                boolean seam = y >= 10 && y < 13 && (x == 7 || x == 8);
                assertEquals(seam ? 1f : 0f, edge[p], "x=" + x + " y=" + y);
            }
            NDArray plain = LayoutTensors.layoutAndParts(m, List.of(touchingPair().withInstances(null)), edges).get(0);
            assertEquals(0f, plain.get(":, {}, :, :", CLASSES).sum().getFloat(), "one blob: no edge inside it");
            assertEquals(CLASSES, LayoutTensors.layoutAndParts(m, List.of(touchingPair()), Presets.tiny(CLASSES)).get(0)
                    .getShape().get(1), "the form without edges reads the classes only");
        }
    }

    @Test
    void aNetworkWithEdgesDrawsTheSeam() {
        ModelConfig edges = Presets.tiny(CLASSES).withCode(Presets.tiny(CLASSES).code().with("instanceEdges", true));
        assertEquals(edges, ModelConfig.fromJson(edges.toJson()), "the switch is saved with the model");
        try (GeneratorNetwork net = GeneratorNetwork.create(edges, Device.cpu(), 5)) {
            LatentCode code = LatentCode.fromSeed(3, LatentCodes.shapeFor(edges));
            NDList withMap = net.inputs(net.manager(), List.of(touchingPair()), List.of(code));
            NDList without = net.inputs(net.manager(), List.of(touchingPair().withInstances(null)), List.of(code));
            float[] a = net.forward(withMap, false).toFloatArray();
            float[] b = net.forward(without, false).toFloatArray();
            assertEquals(3 * 16 * 32, a.length);
            assertNotEquals(0f, maxAbsDiff(a, b), "the edge channel reaches the image");
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
