package io.cimle.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.eval.ToyModeData;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutComponentsTest {
    /** A 16x8 layout of class 0 with rectangles of class 1 drawn in (x0, y0, x1, y1 exclusive). */
    private static ClassMap boxes(int[]... rects) {
        int[] ids = new int[16 * 8];
        for (int[] r : rects) {
            for (int y = r[1]; y < r[3]; y++) {
                for (int x = r[0]; x < r[2]; x++) {
                    ids[y * 16 + x] = 1;
                }
            }
        }
        return new ClassMap(16, 8, 3, ids);
    }

    @Test
    void componentsAreRankedBySizeThenRasterOrderAndFragmentsShareRankZero() {
        // class 1: a 2x2 box (left), a 3x3 box (right, larger), another 2x2 (bottom, later in raster order),
        // a lone pixel (a fragment: below 4 pixels)
        ClassMap l = boxes(new int[] {0, 0, 2, 2}, new int[] {10, 0, 13, 3}, new int[] {0, 5, 2, 7},
                new int[] {6, 6, 7, 7});
        LayoutComponents c = LayoutComponents.of(l);
        int big = c.componentAt(10);
        int left = c.componentAt(0);
        int bottom = c.componentAt(5 * 16);
        int dot = c.componentAt(6 * 16 + 6);
        assertEquals(0, c.rank(big));
        assertEquals(1, c.rank(left), "ties by size go to the earlier first pixel");
        assertEquals(2, c.rank(bottom));
        assertFalse(c.isInstance(dot));
        assertEquals(0, c.rank(dot), "a fragment shares the class's largest part");
        assertArrayEquals(new int[] {big, left, bottom}, c.instancesOf(1));
        assertEquals(1, c.instancesOf(0).length, "the background is one component");
    }

    @Test
    void diagonalNeighboursJoinOneComponent() {
        ClassMap l = boxes(new int[] {0, 0, 2, 2}, new int[] {2, 2, 4, 4});
        LayoutComponents c = LayoutComponents.of(l);
        assertEquals(c.componentAt(0), c.componentAt(3 * 16 + 3), "8-connectivity");
        assertEquals(8, c.size(c.componentAt(0)));
    }

    @Test
    void anInstanceMapSplitsTouchingObjectsAndJoinsAnObjectCutInTwo() {
        // Two cars bumper to bumper (x 0..3 and 4..7, one blob of class 1), a third cut by a pole (x 10..11 and
        // 13..14, the pole at 12 is class 0) and a fourth with no instance value (connected components there).
        ClassMap l = boxes(new int[] {0, 0, 8, 2}, new int[] {10, 4, 12, 6}, new int[] {13, 4, 15, 6},
                new int[] {0, 5, 3, 8});
        int[] instances = new int[16 * 8];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 8; x++) {
                instances[y * 16 + x] = x < 4 ? 7 : 9;
            }
        }
        for (int y = 4; y < 6; y++) {
            for (int x : new int[] {10, 11, 13, 14}) {
                instances[y * 16 + x] = 3;
            }
        }
        LayoutComponents blobs = LayoutComponents.of(l);
        assertEquals(blobs.componentAt(0), blobs.componentAt(7), "without a map the touching pair is one blob");
        assertTrue(blobs.componentAt(4 * 16 + 10) != blobs.componentAt(4 * 16 + 13));

        LayoutComponents c = LayoutComponents.of(l.withInstances(instances));
        assertTrue(c.componentAt(0) != c.componentAt(7), "the map says two cars");
        assertEquals(8, c.size(c.componentAt(0)));
        assertEquals(c.componentAt(4 * 16 + 10), c.componentAt(4 * 16 + 13), "one car behind a pole");
        assertEquals(8, c.size(c.componentAt(4 * 16 + 10)));
        int unnamed = c.componentAt(5 * 16);
        assertEquals(9, c.size(unnamed), "pixels without an instance fall back to their connected component");
        // Ranks: 9 pixels first, then the three 8-pixel cars by their first pixel (0, 4, then 4 * 16 + 10).
        assertArrayEquals(new int[] {unnamed, c.componentAt(0), c.componentAt(4), c.componentAt(4 * 16 + 10)},
                c.instancesOf(1));
        assertEquals(1, c.instancesOf(0).length, "the background has no instances: still one component");
    }

    @Test
    void instanceScenesKeepEveryInstanceItsOwnComponent() {
        List<ToyScenes.Scene> scenes = ToyModeData.scenes(64, 32, 40, 5, ToyScenes.Variant.INSTANCES);
        for (ToyScenes.Scene s : scenes) {
            LayoutComponents c = LayoutComponents.of(s.layout());
            ToyScenes.Instances inst = s.instances();
            assertTrue(inst.count() >= 4, "two or more cars and blocks: " + inst.count());
            int[] at = inst.instanceAt();
            for (int k = 0; k < inst.count(); k++) {
                int component = -1;
                for (int p = 0; p < at.length; p++) {
                    if (at[p] == k) {
                        assertTrue(component < 0 || component == c.componentAt(p), "instance " + k + " is one component");
                        component = c.componentAt(p);
                    }
                }
                for (int p = 0; p < at.length; p++) {
                    if (c.componentAt(p) == component) {
                        assertEquals(k, at[p], "component " + component + " holds only instance " + k + " in " + s.id());
                    }
                }
            }
        }
    }

    @Test
    void theDataTellsInstanceClassesFromSceneWideOnes() {
        List<Example> instances = ToyModeData.scenes(64, 32, 60, 7, ToyScenes.Variant.INSTANCES).stream()
                .map(ToyScenes.Scene::example).toList();
        assertArrayEquals(new int[] {ToyScenes.BUILDING, ToyScenes.CAR}, InstanceClasses.fit(instances),
                InstanceClasses.measure(instances).toString());
        // Classic scenes: one car colour and one building hue per photo, however many there are.
        List<Example> classic = new ToyScenes(64, 32).generate(60, 7).stream().map(ToyScenes.Scene::example).toList();
        assertArrayEquals(new int[0], InstanceClasses.fit(classic), InstanceClasses.measure(classic).toString());
    }
}
