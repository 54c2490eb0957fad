package io.cimle.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelSetTest {
    @Test
    void cityscapesHasNineteenClassesAndOfficialColours() {
        LabelSet cs = LabelSets.byName("cityscapes");
        assertEquals(19, cs.numClasses());
        assertEquals(20, cs.channels());
        assertArrayEquals(new int[] {128, 64, 128}, cs.colours().get(cs.indexOf("road")));
        assertArrayEquals(new int[] {70, 130, 180}, cs.colours().get(cs.indexOf("sky")));
        assertArrayEquals(new int[] {119, 11, 32}, cs.colours().get(cs.indexOf("bicycle")));
        assertEquals("void", cs.channelName(19));
    }

    @Test
    void userPaletteParsesAndRoundTrips() {
        String json = "{\"name\":\"mine\",\"classes\":[{\"name\":\"road\",\"color\":[128,64,128]},"
                + "{\"name\":\"grass\",\"color\":[0,200,0]}],\"void\":[[0,0,0]]}";
        LabelSet s = LabelSet.fromJson(json);
        assertEquals(3, s.channels());
        assertEquals(s, LabelSet.fromJson(s.toJson()));
    }

    @Test
    void duplicatesAndBadColoursAreRejectedClearly() {
        IllegalArgumentException dupColour = assertThrows(IllegalArgumentException.class, () -> LabelSet.fromJson(
                "{\"name\":\"x\",\"classes\":[{\"name\":\"a\",\"color\":[1,2,3]},{\"name\":\"b\",\"color\":[1,2,3]}]}"));
        assertTrue(dupColour.getMessage().contains("'a' and 'b' share the colour (1,2,3)"), dupColour.getMessage());
        IllegalArgumentException dupName = assertThrows(IllegalArgumentException.class, () -> LabelSet.fromJson(
                "{\"name\":\"x\",\"classes\":[{\"name\":\"a\",\"color\":[1,2,3]},{\"name\":\"a\",\"color\":[1,2,4]}]}"));
        assertTrue(dupName.getMessage().contains("duplicate class name 'a'"), dupName.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> LabelSet.fromJson(
                "{\"name\":\"x\",\"classes\":[{\"name\":\"a\",\"color\":[1,2,300]}]}"));
        assertTrue(range.getMessage().contains("class 'a' colour"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabelSet.fromJson("{not json"));
    }

    @Test
    void unknownNameListsValidNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSets.byName("citiscapes"));
        assertTrue(e.getMessage().contains("cityscapes") && e.getMessage().contains("toy-scenes"), e.getMessage());
    }
}
