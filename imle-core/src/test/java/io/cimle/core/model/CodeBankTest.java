package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodeBankTest {
    private static final int CLASSES = 4;
    private static final int CAR = 1;
    private static final ModelConfig MODEL = Presets.tiny(CLASSES).withRegionPooling(true)
            .withInstanceParts(4, new int[] {CAR});

    /** 32x16: class 0 above, class 2 below, cars (class 1) at the given x positions, 3x3 each, apart. */
    private static ClassMap street(int... carsAt) {
        int[] ids = new int[32 * 16];
        for (int p = 0; p < ids.length; p++) {
            ids[p] = p / 32 >= 8 ? 2 : 0;
        }
        for (int x0 : carsAt) {
            for (int y = 10; y < 13; y++) {
                for (int x = x0; x < x0 + 3; x++) {
                    ids[y * 32 + x] = CAR;
                }
            }
        }
        return new ClassMap(32, 16, CLASSES, ids);
    }

    private static CodeBank bank(double jitter) {
        List<CodeBank.Matched> matched = new ArrayList<>();
        for (int e = 0; e < 5; e++) {
            ClassMap layout = e % 2 == 0 ? street(2, 12) : street(4, 14, 24);
            matched.add(CodeBank.tableOf(MODEL, layout, LatentCodes.sample(MODEL, 100 + e, 0)));
        }
        return new CodeBank(MODEL, matched, jitter);
    }

    @Test
    void aCodeStandsForOneMatchedSceneAndAMatchedLookPerInstance() {
        CodeBank bank = bank(0);
        ClassMap layout = street(3, 13, 23);
        Set<Integer> scenesSeen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            LatentCode code = LatentCodes.sample(MODEL, 7, i);
            CodeBank.Matched seen = CodeBank.tableOf(MODEL, layout, bank.transform(layout, code));
            int scene = sceneOf(bank, seen);
            assertTrue(scene >= 0, "code " + i + ": the scene-wide parts are not one matched example's");
            scenesSeen.add(scene);
            assertEquals(3, seen.instances().length);
            for (float[] car : seen.instances()) {
                assertTrue(bank.matched().stream().anyMatch(m -> containsVector(m.instances(), car)),
                        "code " + i + ": a car's vector is no matched car's");
            }
            assertArrayEquals(bank.transform(layout, code).values(), bank.transform(layout, code).values(),
                    "one code, one matched code");
        }
        assertTrue(scenesSeen.size() >= 3, "20 codes drew " + scenesSeen.size() + " of 5 matched scenes");
    }

    @Test
    void theSameCodeKeepsItsSceneOnAnotherLayout() {
        CodeBank bank = bank(0);
        for (int i = 0; i < 10; i++) {
            LatentCode code = LatentCodes.sample(MODEL, 9, i);
            ClassMap a = street(3);
            ClassMap b = street(5, 15, 25);
            assertEquals(sceneOf(bank, CodeBank.tableOf(MODEL, a, bank.transform(a, code))),
                    sceneOf(bank, CodeBank.tableOf(MODEL, b, bank.transform(b, code))), "code " + i);
        }
    }

    @Test
    void carsOfOneSampleDrawTheirLooksApart() {
        CodeBank bank = bank(0);
        ClassMap layout = street(2, 10, 18, 26);
        int differing = 0;
        for (int i = 0; i < 10; i++) {
            CodeBank.Matched seen = CodeBank.tableOf(MODEL, layout, bank.transform(layout, LatentCodes.sample(MODEL, 3, i)));
            differing += seen.instances()[0][0] != seen.instances()[1][0] ? 1 : 0;
        }
        assertTrue(differing >= 5, "two cars of one sample differ in " + differing + " of 10 samples");
    }

    @Test
    void jitterMovesEachVectorByThePartsOwnGaussian() {
        ClassMap layout = street(3, 13);
        LatentCode code = LatentCodes.sample(MODEL, 5, 0);
        CodeBank.Matched still = CodeBank.tableOf(MODEL, layout, bank(0).transform(layout, code));
        CodeBank.Matched moved = CodeBank.tableOf(MODEL, layout, bank(0.5).transform(layout, code));
        CodeBank.Matched own = CodeBank.tableOf(MODEL, layout, code);
        for (int c = 0; c < CLASSES; c++) {
            if (still.scene()[c] != null) {
                for (int k = 0; k < MODEL.noiseChannels(); k++) {
                    assertEquals(still.scene()[c][k] + 0.5 * own.scene()[c][k], moved.scene()[c][k], 1e-4);
                }
            }
        }
    }

    @Test
    void aMatchedTablePaintsBackOntoItsLayoutAsTheCodeTheNetworkSaw() {
        ClassMap layout = street(4, 14, 24);
        CodeBank.Matched table = CodeBank.tableOf(MODEL, layout, LatentCodes.sample(MODEL, 21, 0));
        CodeBank.Matched again = CodeBank.tableOf(MODEL, layout, CodeBank.codeOf(MODEL, layout, table));
        for (int c = 0; c < CLASSES; c++) {
            assertEquals(table.scene()[c] == null, again.scene()[c] == null, "class " + c);
            if (table.scene()[c] != null) {
                assertArrayEquals(table.scene()[c], again.scene()[c], 1e-5f, "class " + c);
            }
        }
        assertArrayEquals(table.instanceClasses(), again.instanceClasses());
        for (int i = 0; i < table.instances().length; i++) {
            assertArrayEquals(table.instances()[i], again.instances()[i], 1e-5f, "instance " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> CodeBank.codeOf(MODEL, street(4, 14), table),
                "a table of three cars on a layout of two");
    }

    @Test
    void theBankSurvivesItsBytes() {
        CodeBank bank = bank(0.25);
        CodeBank read = CodeBank.fromBytes(MODEL, bank.toBytes());
        assertEquals(bank.size(), read.size());
        assertEquals(0.25, read.jitter());
        ClassMap layout = street(3, 13);
        LatentCode code = LatentCodes.sample(MODEL, 11, 2);
        assertArrayEquals(bank.transform(layout, code).values(), read.transform(layout, code).values());
        assertThrows(IllegalArgumentException.class, () -> CodeBank.fromBytes(Presets.tiny(CLASSES + 1)
                .withRegionPooling(true), bank.toBytes()), "a bank of another code size");
    }

    /**
     * Six matched codes, three by day (scene colour 200) and three at night (40): with a car bandwidth, a sample's cars
     * come from codes matched under its scene's light; without, from any; the bytes keep both the colours and the
     * bandwidth, and a bank without them keeps its old bytes.
     */
    @Test
    void carsPickFromCodesMatchedUnderTheSceneTheCodeDrew() {
        List<CodeBank.Matched> matched = new ArrayList<>();
        for (int e = 0; e < 6; e++) {
            float grey = e % 2 == 0 ? 200 : 40;
            matched.add(CodeBank.tableOf(MODEL, street(2, 12), LatentCodes.sample(MODEL, 300 + e, 0))
                    .withSceneColour(new float[] {grey, grey, grey}));
        }
        double[][] bandwidths = new double[CLASSES][];
        bandwidths[CAR] = new double[] {1 / 100.0, 0, 0, 0, 1 / 100.0, 0, 0, 0, 1 / 100.0}; // 10 grey levels
        CodeBank byScene = new CodeBank(MODEL, matched, 0, bandwidths);
        CodeBank uniform = new CodeBank(MODEL, matched, 0);
        assertTrue(byScene.picksByScene());
        ClassMap layout = street(3, 13, 23);
        int offLight = 0;
        int cars = 0;
        for (int i = 0; i < 30; i++) {
            LatentCode code = LatentCodes.sample(MODEL, 41, i);
            int sceneByScene = sceneOf(byScene, CodeBank.tableOf(MODEL, layout, byScene.transform(layout, code)));
            assertEquals(sceneByScene, sceneOf(uniform, CodeBank.tableOf(MODEL, layout, uniform.transform(layout,
                    code))), "the scene is picked as before");
            for (float[] car : CodeBank.tableOf(MODEL, layout, byScene.transform(layout, code)).instances()) {
                assertEquals(sceneByScene % 2, ownerOf(matched, car) % 2, "code " + i + ": a car from the other light");
            }
            for (float[] car : CodeBank.tableOf(MODEL, layout, uniform.transform(layout, code)).instances()) {
                offLight += ownerOf(matched, car) % 2 != sceneByScene % 2 ? 1 : 0;
                cars++;
            }
        }
        assertTrue(offLight > cars / 4, "uniformly, about half the cars come from the other light: " + offLight
                + " of " + cars);
        for (int i = 0; i < 10; i++) { // selection's bank candidates for a night example: night cars
            for (float[] car : CodeBank.tableOf(MODEL, layout, byScene.draw(layout, 70 + i, new float[] {40, 40, 40}))
                    .instances()) {
                assertEquals(1, ownerOf(matched, car) % 2, "candidate " + i + ": a day car offered to a night example");
            }
        }
        CodeBank read = CodeBank.fromBytes(MODEL, byScene.toBytes());
        assertTrue(read.picksByScene());
        LatentCode code = LatentCodes.sample(MODEL, 43, 0);
        assertArrayEquals(byScene.transform(layout, code).values(), read.transform(layout, code).values());
        assertArrayEquals(uniform.toBytes(), new CodeBank(MODEL, matched.stream().map(m -> m.withSceneColour(null))
                .toList(), 0).toBytes(), "without bandwidths the colours are not written: the old format");
    }

    private static int ownerOf(List<CodeBank.Matched> matched, float[] car) {
        for (int e = 0; e < matched.size(); e++) {
            if (containsVector(matched.get(e).instances(), car)) {
                return e;
            }
        }
        throw new AssertionError("a car of no matched code");
    }

    @Test
    void aCodeThatIsNotPooledCannotBeBanked() {
        assertThrows(IllegalArgumentException.class, () -> new CodeBank(MODEL.withRegionPooling(false),
                bank(0).matched(), 0));
    }

    @Test
    void aSamplerWithABankDrawsTheMatchedCodesAndAnswersTheGaussianOnes() {
        CodeBank bank = bank(0);
        ClassMap layout = street(3, 13);
        try (Sampler plain = Sampler.create(MODEL, Device.cpu(), 4); Sampler banked = plain.withBank(bank)) {
            Samples drawn = banked.generate(layout, 3, 17);
            List<LatentCode> gaussian = plain.generate(layout, 3, 17).codes();
            List<LatentCode> matched = gaussian.stream().map(c -> bank.transform(layout, c)).toList();
            List<RgbImage> expected = plain.generate(layout, matched).images();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(expected.get(i).rgb(), drawn.images().get(i).rgb(), "sample " + i);
                assertArrayEquals(gaussian.get(i).values(), drawn.codes().get(i).values(),
                        "a reply carries the code asked for, not the matched one");
            }
            assertNotEquals(List.of(plain.generate(layout, 1, 17).images().get(0).rgb()),
                    List.of(drawn.images().get(0).rgb()));
            Samples walk = banked.interpolate(layout, gaussian.get(0), gaussian.get(1), 3, InterpolationMethod.LINEAR);
            assertArrayEquals(expected.get(0).rgb(), walk.images().get(0).rgb(), "the walk starts at the first look");
            assertArrayEquals(expected.get(1).rgb(), walk.images().get(2).rgb(), "and ends at the second");
            assertNotNull(banked.bank());
        }
    }

    private static int sceneOf(CodeBank bank, CodeBank.Matched seen) {
        for (int e = 0; e < bank.size(); e++) {
            float[][] scene = bank.matched().get(e).scene();
            boolean all = true;
            for (int c = 0; c < CLASSES; c++) {
                if (seen.scene()[c] != null) {
                    all &= scene[c] != null && close(scene[c], seen.scene()[c]);
                }
            }
            if (all) {
                return e;
            }
        }
        return -1;
    }

    private static boolean containsVector(float[][] vectors, float[] v) {
        for (float[] w : vectors) {
            if (close(w, v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean close(float[] a, float[] b) {
        for (int k = 0; k < a.length; k++) {
            if (Math.abs(a[k] - b[k]) > 1e-4) {
                return false;
            }
        }
        return true;
    }
}
