package io.cimle.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class InstanceMapsTest {
    private static final int CAR = 13; // Cityscapes train id
    private static final int ROAD = 0;

    /** An 8x4 Cityscapes-train-id layout: road, cars on the top two rows' x 0..5, void at x 7. */
    private static ClassMap street() {
        int[] ids = new int[8 * 4];
        for (int p = 0; p < ids.length; p++) {
            int x = p % 8;
            ids[p] = x == 7 ? LabelSets.CITYSCAPES.voidChannel() : p < 16 && x < 6 ? CAR : ROAD;
        }
        return new ClassMap(8, 4, LabelSets.CITYSCAPES.channels(), ids);
    }

    private static byte[] grey16(int w, int h, int[] values) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSamples(0, 0, w, h, 0, values);
        return Images.write(img, "png");
    }

    @Test
    void cityscapesInstanceIdsKeepObjectsAndDropStuffAndCrowds() {
        int[] v = new int[8 * 4];
        for (int p = 0; p < v.length; p++) {
            v[p] = 7; // road's label id: no instance
        }
        for (int p = 0; p < 16; p++) {
            if (p % 8 < 6) {
                v[p] = p % 8 < 3 ? 26000 : 26001; // two touching cars
            }
        }
        v[7] = 29005; // a caravan: void among the train classes
        ClassMap withMap = InstanceMaps.attach(street(), grey16(8, 4, v), InstanceFormat.CITYSCAPES_INSTANCE_IDS,
                LayoutLimits.DEFAULT);
        assertTrue(withMap.hasInstances());
        assertEquals(26000, withMap.instances()[0]);
        assertEquals(26001, withMap.instances()[5]);
        assertEquals(0, withMap.instances()[7], "void holds no instance");
        assertEquals(0, withMap.instances()[16], "a label id below 1000 is no instance");
        LayoutComponents c = LayoutComponents.of(withMap);
        assertEquals(2, c.instancesOf(CAR).length, "the touching pair is two cars");
        assertEquals(1, LayoutComponents.of(street()).instancesOf(CAR).length);
    }

    @Test
    void aMapThatContradictsItsLayoutIsRefusedWithItsReason() {
        int[] v = new int[8 * 4];
        v[0] = 24000; // a person where the layout has a car
        LayoutException wrongClass = assertThrows(LayoutException.class, () -> InstanceMaps.attach(street(),
                grey16(8, 4, v), InstanceFormat.CITYSCAPES_INSTANCE_IDS, LayoutLimits.DEFAULT));
        assertEquals(LayoutException.Reason.INSTANCES_INVALID, wrongClass.reason());
        assertTrue(wrongClass.getMessage().contains("x=0, y=0"), wrongClass.getMessage());

        int[] stuff = new int[8 * 4];
        stuff[17] = 7001; // road with an instance number
        LayoutException noInstances = assertThrows(LayoutException.class, () -> InstanceMaps.attach(street(),
                grey16(8, 4, stuff), InstanceFormat.CITYSCAPES_INSTANCE_IDS, LayoutLimits.DEFAULT));
        assertTrue(noInstances.getMessage().contains("no instances"), noInstances.getMessage());

        LayoutException size = assertThrows(LayoutException.class, () -> InstanceMaps.attach(street(),
                grey16(4, 4, new int[16]), InstanceFormat.INSTANCE_IDS, LayoutLimits.DEFAULT));
        assertEquals(LayoutException.Reason.INSTANCES_INVALID, size.reason());
        assertTrue(size.getMessage().contains("4x4"), size.getMessage());

        BufferedImage rgb = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x102030);
        LayoutException colour = assertThrows(LayoutException.class, () -> InstanceMaps.attach(street(),
                Images.write(rgb, "png"), InstanceFormat.INSTANCE_IDS, LayoutLimits.DEFAULT));
        assertTrue(colour.getMessage().contains("single-channel"), colour.getMessage());

        BufferedImage canvas = new BufferedImage(8, 4, BufferedImage.TYPE_INT_ARGB); // what a browser canvas saves
        for (int p = 0; p < 16; p++) {
            int id = p % 8 < 6 ? (p % 8 < 3 ? 1 : 2) : 0;
            canvas.setRGB(p % 8, p / 8, 0xff000000 | id * 0x010101);
        }
        ClassMap painted = InstanceMaps.attach(street(), Images.write(canvas, "png"), InstanceFormat.INSTANCE_IDS,
                LayoutLimits.DEFAULT);
        assertEquals(2, LayoutComponents.of(painted).instancesOf(CAR).length, "grey as RGBA reads as its grey");

        LayoutException garbage = assertThrows(LayoutException.class, () -> InstanceMaps.attach(street(),
                new byte[] {1, 2, 3}, InstanceFormat.INSTANCE_IDS, LayoutLimits.DEFAULT));
        assertEquals(LayoutException.Reason.INSTANCES_INVALID, garbage.reason());
    }

    @Test
    void theStoredFormRoundTripsAndResizingKeepsObjectsApart() {
        int[] v = new int[8 * 4];
        for (int p = 0; p < 16; p++) {
            if (p % 8 < 6) {
                v[p] = p % 8 < 3 ? 70000 : 70001; // above 16 bits: renumbered, still two objects
            }
        }
        ClassMap withMap = street().withInstances(v);
        ClassMap back = InstanceMaps.attach(street(), InstanceMaps.png(withMap), InstanceFormat.INSTANCE_IDS,
                LayoutLimits.DEFAULT);
        assertEquals(back.instances()[0], back.instances()[2]);
        assertFalse(back.instances()[0] == back.instances()[3]);
        assertTrue(back.instances()[0] > 0 && back.instances()[3] > 0);
        assertEquals(0, back.instances()[17]);

        ClassMap big = back.resizeNearest(16, 8);
        assertEquals(2, LayoutComponents.of(big).instancesOf(CAR).length, "nearest resizing carries the map");
        assertArrayEquals(new int[] {back.instances()[0], back.instances()[0]}, new int[] {big.instances()[0],
                big.instances()[5]}, "each source pixel covers 2x2");
    }

    @Test
    void theDecoderChecksBothAtNativeSizeThenResizesTogether() {
        int[] v = new int[8 * 4];
        for (int p = 0; p < 16; p++) {
            if (p % 8 < 6) {
                v[p] = p % 8 < 3 ? 1 : 2;
            }
        }
        LayoutDecoder decoder = new LayoutDecoder(LabelSets.CITYSCAPES, LayoutFormat.CLASS_IDS,
                UnknownLabelPolicy.VOID, LayoutLimits.DEFAULT.withTarget(16, 8));
        ClassMap decoded = decoder.decode(LayoutEncoder.classIdsPng(street()), grey16(8, 4, v),
                InstanceFormat.INSTANCE_IDS);
        assertEquals(16, decoded.width());
        assertEquals(2, LayoutComponents.of(decoded).instancesOf(CAR).length);
        ClassMap plain = decoder.decode(LayoutEncoder.classIdsPng(street()), new byte[0], InstanceFormat.INSTANCE_IDS);
        assertFalse(plain.hasInstances(), "no bytes, no map");
        assertEquals(decoder.decode(LayoutEncoder.classIdsPng(street())), plain);
    }
}
