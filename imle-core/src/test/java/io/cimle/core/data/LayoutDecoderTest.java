package io.cimle.core.data;

import static io.cimle.core.data.LayoutFixtures.pack;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayoutDecoderTest {
    private static final LabelSet TOY = LabelSets.TOY_SCENES; // 6 classes, void = 6
    private static final LabelSet CS = LabelSets.CITYSCAPES; // 19 classes, void = 19

    private static LayoutDecoder decoder(LabelSet l, LayoutFormat f, UnknownLabelPolicy p) {
        return new LayoutDecoder(l, f, p, LayoutLimits.DEFAULT);
    }

    @Test
    void classIdsFromGrey8Grey16AndPalette() {
        int[] v = {0, 1, 2, 3, 4, 5, 6, 255};
        int[] expected = {0, 1, 2, 3, 4, 5, 6, 6};
        LayoutDecoder d = decoder(TOY, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.REJECT);
        assertArrayEquals(expected, d.decode(LayoutFixtures.grey8(4, 2, v)).ids());
        assertArrayEquals(expected, d.decode(LayoutFixtures.grey16(4, 2, v)).ids());
        ClassMap m = d.decode(LayoutFixtures.palette(4, 2, v));
        assertArrayEquals(expected, m.ids());
        assertEquals(4, m.width());
        assertEquals(2, m.height());
        assertEquals(7, m.channels());
    }

    @Test
    void classIdsUnknownGoesToVoidOrIsRejectedWithPosition() {
        int[] v = {0, 1, 9, 9, 2, 9, 3, 4};
        ClassMap m = decoder(TOY, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.VOID).decode(LayoutFixtures.grey8(4, 2, v));
        assertArrayEquals(new int[] {0, 1, 6, 6, 2, 6, 3, 4}, m.ids());
        LayoutException e = assertThrows(LayoutException.class,
                () -> decoder(TOY, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.REJECT).decode(LayoutFixtures.grey8(4, 2, v)));
        assertEquals(LayoutException.Reason.UNKNOWN_CLASS, e.reason());
        assertTrue(e.getMessage().contains("class id 9 at x=2, y=0 (3 pixels)"), e.getMessage());
    }

    @Test
    void coloursMapThroughPaletteUnknownColourVoidOrRejected() {
        int road = pack(128, 64, 128);
        int sky = pack(70, 130, 180);
        int car = pack(0, 0, 142);
        int black = pack(0, 0, 0); // a void colour of the toy set
        int odd = pack(1, 2, 3);
        int[] px = {sky, sky, sky, sky, road, car, odd, black, road, road, odd, road};
        byte[] png = LayoutFixtures.rgb(4, 3, px);
        ClassMap m = decoder(TOY, LayoutFormat.COLORS, UnknownLabelPolicy.VOID).decode(png);
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 5, 6, 6, 1, 1, 6, 1}, m.ids());
        LayoutDecoder.Decoded d = decoder(TOY, LayoutFormat.COLORS, UnknownLabelPolicy.VOID).decodeWithReport(png);
        assertEquals(1, d.unknown().size());
        assertEquals(new LayoutDecoder.UnknownValue("colour (1,2,3)", 2, 1, 2), d.unknown().get(0));

        LayoutException e = assertThrows(LayoutException.class,
                () -> decoder(TOY, LayoutFormat.COLORS, UnknownLabelPolicy.REJECT).decode(png));
        assertEquals(LayoutException.Reason.UNKNOWN_CLASS, e.reason());
        assertTrue(e.getMessage().contains("colour (1,2,3) at x=2, y=1 (2 pixels)"), e.getMessage());
    }

    @Test
    void cityscapesLabelIdsMapToTrainIds() {
        int[] ids = new int[34];
        for (int i = 0; i < 34; i++) {
            ids[i] = i;
        }
        ClassMap m = decoder(CS, LayoutFormat.CITYSCAPES_LABEL_IDS, UnknownLabelPolicy.REJECT)
                .decode(LayoutFixtures.grey8(34, 1, ids));
        int[] train = {7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33};
        for (int t = 0; t < train.length; t++) {
            assertEquals(t, m.ids()[train[t]], "label id " + train[t]);
        }
        assertEquals(19, m.ids()[0]);
        assertEquals(19, m.ids()[6]);
        assertEquals(19, m.ids()[29]);
        LayoutException e = assertThrows(LayoutException.class, () -> decoder(CS, LayoutFormat.CITYSCAPES_LABEL_IDS,
                UnknownLabelPolicy.REJECT).decode(LayoutFixtures.grey8(2, 1, new int[] {7, 40})));
        assertTrue(e.getMessage().contains("label id 40 at x=1, y=0"), e.getMessage());
    }

    @Test
    void gta5ReadsPaletteIndexNotColourAndFallsBackToColourForRgb() {
        // The fixture palette gives index 7 a colour that is no Cityscapes colour: only the index can say "road".
        ClassMap m = decoder(CS, LayoutFormat.GTA5, UnknownLabelPolicy.REJECT)
                .decode(LayoutFixtures.palette(3, 1, new int[] {7, 26, 0}));
        assertArrayEquals(new int[] {0, 13, 19}, m.ids());
        ClassMap rgb = decoder(CS, LayoutFormat.GTA5, UnknownLabelPolicy.REJECT)
                .decode(LayoutFixtures.rgb(3, 1, new int[] {pack(128, 64, 128), pack(0, 0, 142), pack(81, 0, 81)}));
        assertArrayEquals(new int[] {0, 13, 19}, rgb.ids());
    }

    @Test
    void bdd100kTrainIdsWith255Void() {
        ClassMap m = decoder(CS, LayoutFormat.BDD100K, UnknownLabelPolicy.REJECT)
                .decode(LayoutFixtures.grey8(3, 1, new int[] {0, 18, 255}));
        assertArrayEquals(new int[] {0, 18, 19}, m.ids());
        assertThrows(LayoutException.class, () -> decoder(CS, LayoutFormat.BDD100K, UnknownLabelPolicy.REJECT)
                .decode(LayoutFixtures.grey8(1, 1, new int[] {19})));
    }

    @Test
    void rgbColourForIdFormatIsAClearError() {
        LayoutException e = assertThrows(LayoutException.class, () -> decoder(TOY, LayoutFormat.CLASS_IDS,
                UnknownLabelPolicy.VOID).decode(LayoutFixtures.rgb(2, 1, new int[] {pack(1, 1, 1), pack(5, 6, 7)})));
        assertEquals(LayoutException.Reason.UNDECODABLE, e.reason());
        assertTrue(e.getMessage().contains("(5,6,7) at x=1, y=0"), e.getMessage());
    }

    @Test
    void truncatedRandomAndEmptyBytesAreUndecodable() {
        byte[] good = LayoutFixtures.grey8(16, 16, new Random(1).ints(256, 0, 6).toArray());
        LayoutDecoder d = decoder(TOY, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.VOID);
        for (byte[] bad : new byte[][] {Arrays.copyOf(good, good.length / 2), randomBytes(500), new byte[0],
                Arrays.copyOf(good, 40)}) {
            LayoutException e = assertThrows(LayoutException.class, () -> d.decode(bad));
            assertEquals(LayoutException.Reason.UNDECODABLE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().startsWith("layout"), e.getMessage());
        }
    }

    @Test
    void hugeHeaderIsRefusedBeforeDecoding() {
        LayoutDecoder d = decoder(TOY, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.VOID);
        long before = usedHeap();
        LayoutException e = assertThrows(LayoutException.class, () -> d.decode(LayoutFixtures.headerOnlyPng(100_000, 100_000)));
        assertEquals(LayoutException.Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        // A decoded raster would be 30 GB; anything near that would have thrown OutOfMemoryError instead.
        assertTrue(usedHeap() - before < 256L << 20);

        LayoutLimits narrow = new LayoutLimits(1 << 20, 1 << 20, 64, 0, 0);
        LayoutException side = assertThrows(LayoutException.class, () -> new LayoutDecoder(TOY, LayoutFormat.CLASS_IDS,
                UnknownLabelPolicy.VOID, narrow).decode(LayoutFixtures.headerOnlyPng(100, 10)));
        assertEquals(LayoutException.Reason.WRONG_SIZE, side.reason());
        LayoutLimits fewBytes = new LayoutLimits(10, 1 << 20, 64, 0, 0);
        assertEquals(LayoutException.Reason.TOO_LARGE, assertThrows(LayoutException.class, () -> new LayoutDecoder(TOY,
                LayoutFormat.CLASS_IDS, UnknownLabelPolicy.VOID, fewBytes).decode(LayoutFixtures.headerOnlyPng(4, 4))).reason());
    }

    @Test
    void resizesNearestToTarget() {
        // 4x2 -> 2x1 picks pixel centres (1, 0)... nearest keeps ids exact, never blends.
        int[] v = {0, 1, 2, 3, 4, 5, 0, 1};
        LayoutDecoder d = new LayoutDecoder(TOY, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.VOID, LayoutLimits.resizeTo(2, 1));
        ClassMap m = d.decode(LayoutFixtures.grey8(4, 2, v));
        assertEquals(2, m.width());
        assertArrayEquals(new int[] {5, 1}, m.ids());
        LayoutDecoder up = new LayoutDecoder(TOY, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.VOID, LayoutLimits.resizeTo(8, 4));
        ClassMap u = up.decode(LayoutFixtures.grey8(4, 2, v));
        assertEquals(v[1 * 4 + 3], u.at(7, 3));
        assertEquals(v[0], u.at(1, 1));
    }

    @Test
    void encoderRoundTrips() {
        int[] ids = {0, 1, 2, 3, 4, 5, 6, 6};
        ClassMap m = new ClassMap(4, 2, 7, ids);
        assertEquals(m, decoder(TOY, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.REJECT).decode(LayoutEncoder.classIdsPng(m)));
        assertEquals(m, decoder(TOY, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.REJECT).decode(LayoutEncoder.palettePng(m, TOY)));
        assertEquals(m, decoder(TOY, LayoutFormat.COLORS, UnknownLabelPolicy.REJECT).decode(LayoutEncoder.colourPng(m, TOY)));
    }

    @Test
    void jpegLayoutIsRefused() {
        byte[] jpeg = Images.encodeJpeg(RgbImage.blank(8, 8), 0.9f);
        LayoutException e = assertThrows(LayoutException.class,
                () -> decoder(TOY, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.VOID).decode(jpeg));
        assertTrue(e.getMessage().contains("must be PNG"), e.getMessage());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
