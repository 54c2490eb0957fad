package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodePartsTest {
    private static final int CLASSES = 4;
    private static final int CAR = 1;

    /** 32x16 of class 0, class 2 in the bottom half, and three cars (class 1) of 12, 9 and 6 pixels, apart. */
    private static ClassMap street() {
        int[] ids = new int[32 * 16];
        for (int p = 0; p < ids.length; p++) {
            ids[p] = p / 32 >= 8 ? 2 : 0;
        }
        box(ids, 2, 10, 6, 13); // 4x3 = 12
        box(ids, 12, 10, 15, 13); // 3x3 = 9
        box(ids, 24, 10, 27, 12); // 3x2 = 6
        return new ClassMap(32, 16, CLASSES, ids);
    }

    private static void box(int[] ids, int x0, int y0, int x1, int y1) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                ids[y * 32 + x] = CAR;
            }
        }
    }

    private static ModelConfig vector(int slots) {
        return Presets.tiny(CLASSES).withNoiseMode(NoiseMode.VECTOR).withRegionCodeDim(3)
                .withInstanceParts(slots, new int[] {CAR});
    }

    @Test
    void partsFollowTheStatedOrder() {
        ModelConfig three = vector(3);
        int[] parts = CodeParts.of(three, street());
        int carBase = CodeParts.offset(three, CAR);
        assertEquals(carBase, parts[10 * 32 + 2], "the largest car takes the class's first part");
        assertEquals(carBase + 1, parts[10 * 32 + 12]);
        assertEquals(carBase + 2, parts[10 * 32 + 24]);
        assertEquals(CodeParts.offset(three, 2), parts[15 * 32 + 31], "a scene-wide class is one part");
        ModelConfig two = vector(2);
        int[] wrapped = CodeParts.of(two, street());
        assertEquals(CodeParts.offset(two, CAR), wrapped[10 * 32 + 24], "the third car shares the first car's part");
        assertEquals(CodeParts.offset(two, CAR) + 1, wrapped[10 * 32 + 12]);
        assertEquals(CLASSES + 1, CodeParts.count(two));
        assertEquals(3, CodeParts.offset(two, 2), "parts are numbered class by class");
        assertEquals(CAR, CodeParts.classOf(two, 2));
    }

    @Test
    void touchingCarsGetAPartEachWhenTheLayoutSaysWhichIsWhich() {
        ModelConfig three = vector(3);
        int[] ids = street().ids();
        box(ids, 6, 10, 10, 13); // a 4x3 car bumper to bumper with the largest: one 24-pixel blob
        ClassMap blob = new ClassMap(32, 16, CLASSES, ids);
        int[] parts = CodeParts.of(three, blob);
        assertEquals(parts[10 * 32 + 2], parts[10 * 32 + 9], "without a map the pair is one car");
        int[] instances = new int[ids.length];
        for (int p = 0; p < ids.length; p++) {
            instances[p] = ids[p] == CAR ? 1 + p % 32 / 6 : 0; // x 0..5 -> 1, 6..11 -> 2, ...
        }
        int[] given = CodeParts.of(three, blob.withInstances(instances));
        assertNotEquals(given[10 * 32 + 2], given[10 * 32 + 9], "the map makes them two cars, two parts");
        assertEquals(given[10 * 32 + 6], given[10 * 32 + 9], "one instance, one part");
    }

    @Test
    void aCodeHasOneBlockPerPartWhateverTheLayoutAndASeedKeepsItsBytes() {
        ModelConfig three = vector(3);
        assertEquals(three.noiseVectorDim() + (CLASSES + 2) * 3, LatentCodes.shapeFor(three)[0]);
        ModelConfig classes = Presets.tiny(CLASSES).withNoiseMode(NoiseMode.VECTOR).withRegionCodeDim(3);
        assertTrue(classes.partsAreClasses());
        assertEquals(classes.noiseVectorDim() + CLASSES * 3, LatentCodes.shapeFor(classes)[0]);
        float[] a = LatentCodes.sample(three, 9, 0).valuesView();
        float[] b = LatentCodes.sample(three, 9, 0).valuesView();
        assertArrayEquals(a, b);
        // The first blocks of a seed are the same numbers in both forms: one stream, read further.
        float[] c = LatentCodes.sample(classes, 9, 0).valuesView();
        assertArrayEquals(Arrays.copyOf(c, c.length), Arrays.copyOf(a, c.length));
    }

    @Test
    void eachCarsBlockSetsItsOwnPixelsOnly() {
        ModelConfig three = vector(3);
        ClassMap l = street();
        try (GeneratorNetwork net = GeneratorNetwork.create(three, Device.cpu(), 5);
             Sampler sampler = Sampler.wrap(net, 4)) {
            LatentCode base = LatentCodes.sample(three, 1, 0);
            long[] donors = new long[CodeParts.count(three)];
            Arrays.fill(donors, base.seed());
            donors[CodeParts.offset(three, CAR) + 2] = 77; // the smallest car from another seed
            LatentCode composed = RegionalCodes.compose(three, l, base.seed(), donors);
            RgbImage before = sampler.generate(l, List.of(base)).images().get(0);
            RgbImage after = sampler.generate(l, List.of(composed)).images().get(0);
            double nearSmall = 0;
            double nearLargest = 0;
            for (int y = 10; y < 12; y++) {
                for (int x = 24; x < 27; x++) {
                    nearSmall += diff(before, after, x, y);
                }
                for (int x = 2; x < 5; x++) {
                    nearLargest += diff(before, after, x, y);
                }
            }
            assertTrue(nearSmall > 0, "the smallest car's block changes the smallest car");
            assertTrue(nearLargest < nearSmall, "and the largest car less: " + nearLargest + " vs " + nearSmall);
        }
    }

    private static int diff(RgbImage a, RgbImage b, int x, int y) {
        int d = 0;
        for (int c = 0; c < 3; c++) {
            d += Math.abs(a.get(x, y, c) - b.get(x, y, c));
        }
        return d;
    }

    @Test
    void classPartModelsRunTheSameWithOrWithoutAPartsTensor() {
        ModelConfig classes = Presets.tiny(CLASSES).withNoiseMode(NoiseMode.VECTOR).withRegionCodeDim(3);
        ClassMap l = street();
        try (GeneratorNetwork net = GeneratorNetwork.create(classes, Device.cpu(), 5);
             NDManager m = net.manager().newSubManager()) {
            List<LatentCode> codes = List.of(LatentCodes.sample(classes, 3, 0), LatentCodes.sample(classes, 3, 1));
            NDList in = net.inputs(m, List.of(l, l), codes);
            float[] implicit = net.forward(in.get(0), in.get(1), false).toFloatArray();
            float[] explicit = net.forward(in, false).toFloatArray();
            assertArrayEquals(implicit, explicit);
        }
        try (GeneratorNetwork net = GeneratorNetwork.create(vector(3), Device.cpu(), 5);
             NDManager m = net.manager().newSubManager()) {
            NDList in = net.inputs(m, List.of(l), List.of(LatentCodes.sample(vector(3), 3, 0)));
            assertThrows(IllegalArgumentException.class, () -> net.forward(in.get(0), in.get(1), false),
                    "an instance-part model refuses a forward without its parts");
        }
    }

    @Test
    void regionPoolingMakesAPerPixelCodeOneValuePerPart() {
        ModelConfig pooled = Presets.tiny(CLASSES).withNoiseMode(NoiseMode.RAW).withInstanceParts(3, new int[] {CAR})
                .withRegionPooling(true);
        ClassMap l = street();
        try (GeneratorNetwork net = GeneratorNetwork.create(pooled, Device.cpu(), 5);
             NDManager m = net.manager().newSubManager()) {
            // Two codes that differ only inside the largest car: the images differ, and only there and near it.
            LatentCode a = LatentCodes.sample(pooled, 4, 0);
            long[] donors = new long[CodeParts.count(pooled)];
            Arrays.fill(donors, a.seed());
            donors[CodeParts.offset(pooled, CAR)] = 99;
            LatentCode b = RegionalCodes.compose(pooled, l, a.seed(), donors);
            NDArray out = net.forward(net.inputs(m, List.of(l, l), List.of(a, b)), false);
            float[] v = out.toFloatArray();
            int plane = 32 * 16;
            double inCar = 0;
            double farAway = 0;
            for (int p = 0; p < plane; p++) {
                double d = Math.abs(v[p] - v[3 * plane + p]);
                int x = p % 32;
                int y = p / 32;
                if (x >= 2 && x < 6 && y >= 10 && y < 13) {
                    inCar += d;
                } else if (x >= 20) {
                    farAway += d;
                }
            }
            assertTrue(inCar > 0, "the car's pooled noise changed the car");
            assertTrue(farAway < inCar, "far from the car the image changed less: " + farAway + " vs " + inCar);
        }
    }

    @Test
    void configsWithoutTheNewFieldsReadAsOnePartPerClass() throws Exception {
        ModelConfig old = new ObjectMapper().readValue("{\"presetName\":\"tiny\",\"height\":16,\"width\":32,"
                + "\"channels\":4,\"noiseMode\":\"VECTOR\",\"moduleChannels\":[32,32,32],\"regionCodeDim\":8}",
                ModelConfig.class);
        assertEquals(1, old.instanceSlots());
        assertEquals(0, old.instanceClasses().length);
        assertFalse(old.regionPooling());
        assertFalse(old.pixelNorm(), "an earlier checkpoint's layer norms are over the whole map");
        assertTrue(old.partsAreClasses());
        ModelConfig three = vector(3).withRegionPooling(true).withPixelNorm(true);
        ModelConfig back = new ObjectMapper().readValue(new ObjectMapper().writeValueAsString(three), ModelConfig.class);
        assertEquals(three, back);
        assertNotEquals(three, vector(3), "pooling is part of the architecture");
        assertTrue(three.architectureDifferences(vector(3)).toString().contains("regionPooling"));
        assertTrue(three.architectureDifferences(vector(3)).toString().contains("pixelNorm"));
    }
}
