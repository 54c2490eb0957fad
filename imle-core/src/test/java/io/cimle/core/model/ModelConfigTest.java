package io.cimle.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void jsonRoundTripKeepsEveryValue() throws Exception {
        ModelConfig config = Presets.small(20).withNoiseMode(NoiseMode.VECTOR).withNoiseVectorDim(48);
        String text = json.writeValueAsString(config);
        ModelConfig back = json.readValue(text, ModelConfig.class);
        assertEquals(config, back);
        assertArrayEquals(new int[] {64, 64, 48, 32}, back.moduleChannels());
    }

    @Test
    void missingOptionalJsonFieldsTakeDefaults() throws Exception {
        ModelConfig c = json.readValue("{\"height\":16,\"width\":32,\"channels\":5,\"moduleChannels\":[16,16,16]}",
                ModelConfig.class);
        assertEquals(10, c.noiseChannels());
        assertEquals(NoiseMode.ENCODER, c.noiseMode());
        assertEquals(100, c.encoderWidth());
        assertEquals(0.2, c.leakySlope());
    }

    @Test
    void paperPresetHasSevenModulesWithThePublishedWidths() {
        ModelConfig paper = Presets.paper(20);
        assertEquals(7, paper.moduleCount());
        assertEquals(256, paper.height());
        assertEquals(512, paper.width());
        for (int i = 0; i < 7; i++) {
            assertEquals(4 << i, paper.moduleHeight(i));
            assertEquals(8 << i, paper.moduleWidth(i));
            assertEquals(paper.moduleHeight(i) < 128 ? 1024 : 512, paper.moduleChannels(i));
        }
        // channel arithmetic: module 0 sees layout + noise, later ones also the previous features
        CrnGenerator block = new CrnGenerator(paper);
        assertEquals(20 + 10, block.modules().get(0).inputChannels());
        assertEquals(1024 + 20 + 10, block.modules().get(1).inputChannels());
        assertEquals(1024 + 20 + 10, block.modules().get(5).inputChannels());
        assertEquals(512 + 20 + 10, block.modules().get(6).inputChannels());
        long params = FlopCounter.parameterCount(paper);
        assertTrue(params > 90_000_000L && params < 110_000_000L, "paper params " + params);
    }

    @Test
    void presetsByNameListValidNamesOnError() {
        assertEquals("tiny", Presets.byName("TINY", 4).presetName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Presets.byName("huge", 4));
        assertTrue(e.getMessage().contains("huge") && e.getMessage().contains("tiny, small, medium, paper"),
                e.getMessage());
    }

    @Test
    void invalidGeometryIsRefusedWithTheBadValue() {
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> new ModelConfig("x", 24, 48, 5,
                10, NoiseMode.ENCODER, 32, 16, new int[] {16, 16, 16}, 0.2));
        assertTrue(h.getMessage().contains("24"), h.getMessage());
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> new ModelConfig("x", 16, 34, 5,
                10, NoiseMode.ENCODER, 32, 16, new int[] {16, 16, 16}, 0.2));
        assertTrue(w.getMessage().contains("34"), w.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> new ModelConfig("x", 16, 32, 5,
                10, NoiseMode.ENCODER, 32, 16, new int[] {16, 16}, 0.2));
        assertTrue(m.getMessage().contains("3 entries"), m.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Presets.tiny(1));
    }

    @Test
    void architectureDifferencesNameTheValues() {
        var d = Presets.tiny(5).architectureDifferences(Presets.small(6));
        assertTrue(d.stream().anyMatch(s -> s.startsWith("height: 16 vs 32")), d.toString());
        assertTrue(d.stream().anyMatch(s -> s.startsWith("channels: 5 vs 6")), d.toString());
        assertTrue(Presets.tiny(5).architectureDifferences(Presets.tiny(5)).isEmpty());
    }
}
