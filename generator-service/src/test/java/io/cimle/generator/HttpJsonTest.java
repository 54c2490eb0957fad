package io.cimle.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.model.LatentCode;
import io.cimle.generator.GenerateResource.CodeJson;
import io.cimle.generator.GenerateResource.GenerateJson;
import io.cimle.generator.GenerateResource.InterpolationJson;
import io.cimle.generator.GenerateResource.StyleJson;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutRequest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP API's JSON as wire requests, and codes as JSON. */
class HttpJsonTest {
    private static final String PNG = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});

    private static GenerateJson body(String layout, String encoding, Long seed, List<CodeJson> codes, InterpolationJson in,
            StyleJson style) {
        return new GenerateJson(layout, encoding, null, null, seed, codes, in, null, style, null, null);
    }

    @Test
    void aPlainBodyIsOneSampleOfClassIds() {
        LayoutRequest r = HttpJson.toRequest(body("data:image/png;base64," + PNG, null, 7L, null, null, null));
        assertTrue(r.getRequestId().startsWith("http-"));
        assertEquals(LayoutEncoding.CLASS_IDS, r.getLayout().getEncoding());
        assertArrayEquals(new byte[] {1, 2, 3}, r.getLayout().getPng().toByteArray());
        assertEquals(1, r.getNumSamples());
        assertTrue(r.getHasSeed());
        assertEquals(7L, r.getSeed());
    }

    @Test
    void encodingsByTheirNames() {
        assertEquals(LayoutEncoding.COLORS, HttpJson.toRequest(body(PNG, "Colours", null, null, null, null)).getLayout().getEncoding());
        assertEquals(LayoutEncoding.CITYSCAPES_LABEL_IDS,
                HttpJson.toRequest(body(PNG, "cityscapes_label_ids", null, null, null, null)).getLayout().getEncoding());
        assertThrows(IllegalArgumentException.class, () -> HttpJson.toRequest(body(PNG, "rgb", null, null, null, null)));
    }

    @Test
    void malformedBodiesAreTheClientsMistake() {
        assertThrows(IllegalArgumentException.class, () -> HttpJson.toRequest(body("not base64!", null, null, null, null, null)));
        assertThrows(IllegalArgumentException.class,
                () -> HttpJson.toRequest(body(PNG, null, null, Arrays.asList((CodeJson) null), null, null)));
        assertThrows(IllegalArgumentException.class,
                () -> HttpJson.toRequest(body(PNG, null, null, null, null, new StyleJson(PNG, null, null, null))));
    }

    @Test
    void codesInterpolationAndStyleReachTheWire() {
        CodeJson seeded = new CodeJson(5L, new int[] {2}, null);
        CodeJson explicit = new CodeJson(null, new int[] {2}, new float[] {0.5f, -1f});
        LayoutRequest r = HttpJson.toRequest(body(PNG, null, null, List.of(seeded, explicit),
                new InterpolationJson(seeded, explicit, 4, null), new StyleJson(PNG, PNG, 8, 3L)));
        assertEquals(2, r.getCodesCount());
        assertEquals(5L, r.getCodes(0).getSeed());
        assertEquals(List.of(0.5f, -1f), r.getCodes(1).getValuesList());
        assertEquals(4, r.getInterpolation().getSteps());
        assertEquals(List.of(2), r.getInterpolation().getTo().getShapeList());
        assertEquals(8, r.getStyleReference().getCandidates());
        assertEquals(3L, r.getStyleReference().getSeed());
    }

    @Test
    void aCodeIsItsSeedOrItsValuesUpToTheLimit() {
        assertEquals(9L, HttpJson.toJson(LatentCode.fromSeed(9L, 2, 2), 1).seed());
        LatentCode values = LatentCode.ofValues(new float[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4}, HttpJson.toJson(values, 4).values());
        assertNull(HttpJson.toJson(values, 3).values());
        assertArrayEquals(new int[] {2, 2}, HttpJson.toJson(values, 3).shape());
    }
}
