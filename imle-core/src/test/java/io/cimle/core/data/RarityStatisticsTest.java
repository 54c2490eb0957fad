package io.cimle.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RarityStatisticsTest {
    private static final int ROAD = 0;
    private static final int CAR = 1;
    private static final int RARE_FROM = 40; // examples 40, 41 have green cars; 0..39 red

    /** 16x8: road on top, a car bottom-left, void bottom-right; road colour jitters, car red or green. */
    private static List<Example> examples() {
        SplittableRandom rnd = new SplittableRandom(5);
        List<Example> out = new ArrayList<>();
        for (int n = 0; n < RARE_FROM + 2; n++) {
            int[] ids = new int[16 * 8];
            RgbImage photo = RgbImage.blank(16, 8);
            boolean rare = n >= RARE_FROM;
            int road = 100 + rnd.nextInt(-10, 11);
            int j = rnd.nextInt(-8, 9);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 16; x++) {
                    int c = y < 4 ? ROAD : x < 8 ? CAR : 2;
                    ids[y * 16 + x] = c;
                    if (c == ROAD) {
                        photo.set(x, y, road, road, road + 5);
                    } else if (c == CAR) {
                        photo.set(x, y, rare ? 30 + j : 200 + j, rare ? 200 + j : 30, 30);
                    } else {
                        photo.set(x, y, rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
                    }
                }
            }
            out.add(new Example(String.format("ex%02d", n), new ClassMap(16, 8, 3, ids), photo));
        }
        return out;
    }

    @Test
    void rareAppearanceGetsLargerLossWeight() {
        List<Example> ex = examples();
        RarityStatistics image = RarityStatistics.fit(ex, RarityStatistics.Config.DEFAULT);
        Example common = ex.get(0);
        Example rare = ex.get(RARE_FROM);
        assertTrue(image.rarity(rare, CAR) > 5 * image.rarity(common, CAR),
                "rarity rare " + image.rarity(rare, CAR) + " vs common " + image.rarity(common, CAR));
        float[] mc = image.lossMask(common);
        float[] mr = image.lossMask(rare);
        int carPixel = 5 * 16 + 2;
        int roadPixel = 0;
        for (float v : mr) {
            assertTrue(v > 0 && v <= 1, "mask value " + v);
        }
        // Per-image normalisation: the rare car is the rarest region of its image; the common car is not.
        assertEquals(1f, mr[carPixel], 1e-6);
        assertTrue(mr[carPixel] / mr[roadPixel] > mc[carPixel] / mc[roadPixel]);
        assertEquals(1f, mc[7 * 16 + 15], 0f, "void weighs voidWeight");

        RarityStatistics global = RarityStatistics.fit(ex,
                new RarityStatistics.Config(5, 1.0, 1.0, RarityStatistics.Normalisation.DATASET_MAX));
        float rareCar = global.lossMask(rare)[carPixel];
        float commonCar = global.lossMask(common)[carPixel];
        assertTrue(rareCar > 5 * commonCar, "rare car weight " + rareCar + " vs common " + commonCar);
    }

    @Test
    void aFloorBoundsTheSpreadOfTheWeightsAndLeavesTheRarestAlone() {
        // Toy scenes: sky, road and buildings of near-constant colour have dense KDEs, so the paper's
        // weights put them 1e-2 to 1e-5 below the rarest region of their image.
        List<Example> ex = new ToyScenes(32, 16).generate(30, 3).stream().map(ToyScenes.Scene::example).toList();
        RarityStatistics stats = RarityStatistics.fit(ex, RarityStatistics.Config.DEFAULT);
        float plainMin = 1;
        for (Example e : ex) {
            float[] plain = stats.lossMask(e);
            float[] floored = stats.lossMask(e, 0.1);
            assertArrayEquals(plain, stats.lossMask(e, 0), "floor 0 is the paper's mask");
            for (int i = 0; i < plain.length; i++) {
                plainMin = Math.min(plainMin, plain[i]);
                assertEquals(Math.max(plain[i], 0.1f), floored[i], 0f);
            }
        }
        assertTrue(plainMin < 1e-3, "the case is one where the paper's weights nearly vanish: " + plainMin);
        assertThrows(IllegalArgumentException.class, () -> stats.lossMask(ex.get(0), 1.0));
    }

    @Test
    void classesInTooFewImagesGetNoKde() {
        List<Example> ex = examples().subList(0, 4);
        RarityStatistics s = RarityStatistics.fit(ex, RarityStatistics.Config.DEFAULT);
        assertFalse(s.hasKde(CAR));
        assertTrue(Double.isNaN(s.logRarity("ex00", CAR)));
        float[] m = s.lossMask(ex.get(0));
        assertEquals(1f, m[0]);
    }

    @Test
    void samplerDrawsRareAppearancesMoreOften() {
        List<Example> ex = examples();
        RarityStatistics stats = RarityStatistics.fit(ex, RarityStatistics.Config.DEFAULT);
        DatasetSampler sampler = DatasetSampler.rebalanced(stats, new int[] {ROAD, CAR}, 0, 99);
        DatasetSampler uniform = DatasetSampler.uniform(stats.ids(), 99);
        int draws = 5000;
        int[] counts = new int[ex.size()];
        int[] uniformCounts = new int[ex.size()];
        for (int i = 0; i < draws; i++) {
            counts[sampler.nextIndex()]++;
            uniformCounts[uniform.nextIndex()]++;
        }
        int rare = counts[RARE_FROM] + counts[RARE_FROM + 1];
        int uniformRare = uniformCounts[RARE_FROM] + uniformCounts[RARE_FROM + 1];
        double perRare = rare / 2.0;
        double perCommon = (draws - rare) / (double) RARE_FROM;
        System.out.printf("rebalanced: rare images %d draws (%.0f each), common %.1f each; uniform: rare %d%n",
                rare, perRare, perCommon, uniformRare);
        assertTrue(perRare > 5 * perCommon, "rare " + perRare + " vs common " + perCommon);
        assertTrue(uniformRare < 0.15 * draws, "uniform rare draws " + uniformRare);
        assertTrue(uniformRare > 0);

        // Deterministic and resumable through JSON.
        DatasetSampler a = DatasetSampler.rebalanced(stats, new int[] {ROAD, CAR}, 0, 7);
        for (int i = 0; i < 10; i++) {
            a.nextIndex();
        }
        DatasetSampler b = DatasetSampler.fromJson(a.toJson());
        int[] na = new int[20];
        int[] nb = new int[20];
        for (int i = 0; i < 20; i++) {
            na[i] = a.nextIndex();
            nb[i] = b.nextIndex();
        }
        assertArrayEquals(na, nb);
    }

    @Test
    void defaultCycleIsTheMostFrequentClassesAndStatisticsRoundTrip() {
        List<Example> ex = examples();
        RarityStatistics stats = RarityStatistics.fit(ex, RarityStatistics.Config.DEFAULT);
        assertArrayEquals(new int[] {0, 1}, DatasetSampler.rebalanced(stats, new int[0], 2, 1).cycleClasses());
        RarityStatistics back = RarityStatistics.fromJson(stats.toJson());
        assertArrayEquals(stats.lossMask(ex.get(RARE_FROM)), back.lossMask(ex.get(RARE_FROM)));
        assertTrue(Double.isNaN(back.logRarity("ex00", 2)) == Double.isNaN(stats.logRarity("ex00", 2)));
        assertEquals(stats.logRarity("ex41", CAR), back.logRarity("ex41", CAR));
    }

    @Test
    void toyScenesRarityIsFinite() {
        List<Example> ex = new ToyScenes(32, 16).generate(30, 3).stream().map(ToyScenes.Scene::example).toList();
        RarityStatistics stats = RarityStatistics.fit(ex, RarityStatistics.Config.DEFAULT);
        for (Example e : ex) {
            for (float v : stats.lossMask(e)) {
                assertTrue(v > 0 && v <= 1 && Float.isFinite(v));
            }
        }
        DatasetSampler s = DatasetSampler.rebalanced(stats, 1);
        assertEquals(5, s.cycleClasses().length);
        for (int i = 0; i < 100; i++) {
            assertTrue(s.nextIndex() < ex.size());
        }
    }
}
