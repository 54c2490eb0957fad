package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegionalCodesTest {
    private static final int CLASSES = 4;
    private final ModelConfig vector = Presets.tiny(CLASSES).withNoiseMode(NoiseMode.VECTOR).withRegionCodeDim(3);
    private final ModelConfig perPixel = Presets.tiny(CLASSES);
    private final ClassMap layout = TestLayouts.layout(32, 16, CLASSES, 5);

    @Test
    void aVectorCodeTakesEachClassBlockFromItsDonorAndKeepsTheGlobalPart() {
        long[] donors = {1, 2, 1, 3}; // class 0 and 2 from the base (1)
        LatentCode c = RegionalCodes.compose(vector, layout, 1, donors);
        int d = vector.noiseVectorDim();
        int r = vector.regionCodeDim();
        assertEquals(d + CLASSES * r, c.size());
        float[] base = LatentCode.fromSeed(1, c.shape()).valuesView();
        float[] two = LatentCode.fromSeed(2, c.shape()).valuesView();
        float[] three = LatentCode.fromSeed(3, c.shape()).valuesView();
        float[] v = c.valuesView();
        assertArrayEquals(Arrays.copyOfRange(base, 0, d + r), Arrays.copyOfRange(v, 0, d + r)); // global, class 0
        assertArrayEquals(Arrays.copyOfRange(two, d + r, d + 2 * r), Arrays.copyOfRange(v, d + r, d + 2 * r));
        assertArrayEquals(Arrays.copyOfRange(base, d + 2 * r, d + 3 * r), Arrays.copyOfRange(v, d + 2 * r, d + 3 * r));
        assertArrayEquals(Arrays.copyOfRange(three, d + 3 * r, d + 4 * r), Arrays.copyOfRange(v, d + 3 * r, d + 4 * r));
    }

    @Test
    void aPerPixelCodeTakesEachClassPixelsFromItsDonor() {
        long[] donors = {7, 8, 7, 7};
        LatentCode c = RegionalCodes.compose(perPixel, layout, 7, donors);
        float[] base = LatentCode.fromSeed(7, c.shape()).valuesView();
        float[] donor = LatentCode.fromSeed(8, c.shape()).valuesView();
        int plane = 32 * 16;
        int fromDonor = 0;
        for (int z = 0; z < perPixel.noiseChannels(); z++) {
            for (int p = 0; p < plane; p++) {
                boolean class1 = layout.at(p % 32, p / 32) == 1;
                assertEquals(class1 ? donor[z * plane + p] : base[z * plane + p], c.valuesView()[z * plane + p]);
                fromDonor += class1 ? 1 : 0;
            }
        }
        assertTrue(fromDonor > 0, "the test layout shows class 1");
    }

    @Test
    void donorsEqualToTheBaseGiveTheBaseCodeWithItsSeed() {
        LatentCode c = RegionalCodes.compose(vector, layout, 4, new long[] {4, 4, 4, 4});
        assertTrue(c.hasSeed());
        assertEquals(4, c.seed());
    }

    @Test
    void aVectorCodeWithoutBlocksCannotBeComposed() {
        ModelConfig plain = Presets.tiny(CLASSES).withNoiseMode(NoiseMode.VECTOR);
        assertThrows(IllegalArgumentException.class, () -> RegionalCodes.compose(plain, layout, 1, new long[CLASSES]));
        assertThrows(IllegalArgumentException.class, () -> perPixel.withRegionCodeDim(2));
    }

    @Test
    void theBlockOfAClassTheLayoutLacksChangesNothingAndAShownClassBlockChangesTheImage() {
        int[] ids = new int[32 * 16]; // classes 0 and 1 only
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i < ids.length / 2 ? 0 : 1;
        }
        ClassMap twoClasses = new ClassMap(32, 16, CLASSES, ids);
        try (Sampler sampler = Sampler.create(vector, Device.cpu())) {
            LatentCode base = LatentCodes.sample(vector, 3, 0);
            RgbImage reference = sampler.generate(twoClasses, List.of(base)).images().get(0);
            LatentCode absentChanged = RegionalCodes.compose(vector, twoClasses, base.seed(), new long[] {base.seed(),
                    base.seed(), 99, 98});
            LatentCode shownChanged = RegionalCodes.compose(vector, twoClasses, base.seed(), new long[] {base.seed(), 97,
                    base.seed(), base.seed()});
            List<RgbImage> images = sampler.generate(twoClasses, List.of(absentChanged, shownChanged)).images();
            assertEquals(reference, images.get(0));
            assertNotEquals(reference, images.get(1));
        }
    }

    /** The new code form through a checkpoint: a seed gives the same bytes, codes and interpolation work on it. */
    @Test
    void aCheckpointWithRegionBlocksServesTheSameBytesForASeed() throws Exception {
        byte[] written;
        List<RgbImage> before;
        try (GeneratorNetwork net = GeneratorNetwork.create(vector, Device.cpu(), 12)) {
            before = Sampler.wrap(net, 4).generate(layout, 3, 41).images();
            written = Checkpoint.of(net, 10, 1, Map.of(), Map.of()).toBytes();
        }
        Checkpoint read = Checkpoint.readFrom(new ByteArrayInputStream(written));
        assertEquals(vector, read.config());
        try (Sampler sampler = Sampler.fromCheckpoint(read, Device.cpu(), 2)) {
            assertEquals(before, sampler.generate(layout, 3, 41).images());
            LatentCode a = LatentCodes.sample(vector, 41, 0);
            LatentCode b = LatentCodes.sample(vector, 41, 1);
            List<RgbImage> path = sampler.interpolate(layout, a, b, 3, InterpolationMethod.SLERP).images();
            assertEquals(before.get(0), path.get(0));
            assertEquals(before.get(1), path.get(2));
        }
    }

    @Test
    void configsWithoutTheFieldReadAsNoBlocksAndBlocksRoundTrip() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String old = json.writeValueAsString(Presets.tiny(CLASSES).withNoiseMode(NoiseMode.VECTOR))
                .replace(",\"regionCodeDim\":0", "");
        assertTrue(!old.contains("regionCodeDim"), old);
        assertEquals(0, json.readValue(old, ModelConfig.class).regionCodeDim());
        assertEquals(vector, json.readValue(json.writeValueAsString(vector), ModelConfig.class));
        assertTrue(vector.architectureDifferences(vector.withRegionCodeDim(0)).get(0).startsWith("regionCodeDim"));
    }
}
