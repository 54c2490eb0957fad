package io.cimle.core.training.distance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistancesTest {

    @Test
    void defaultsArePyramidL1WithoutWeights() {
        try (Distance d = Distances.create(DistanceConfig.defaults())) {
            assertInstanceOf(PyramidL1Distance.class, d);
            assertTrue(d.describe().startsWith("pyramid L1"), d.describe());
        }
    }

    @Test
    void vggWithoutWeightsFileIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Distances.create(DistanceConfig.vgg19(null, "gta5")));
        assertTrue(e.getMessage().contains("VGG19 needs vggWeightsPath"), e.getMessage());
    }

    @Test
    void configRoundTripsThroughJsonAndChecksInvariants() throws Exception {
        ObjectMapper json = new ObjectMapper();
        DistanceConfig c = new DistanceConfig(DistanceConfig.Kind.VGG19, "/w/vgg19.npz", "cityscapes", 2,
                List.of(1.0, 0.5, 0.25), 0.0);
        assertEquals(c, json.readValue(json.writeValueAsString(c), DistanceConfig.class));
        assertEquals(DistanceConfig.defaults(),
                json.readValue(json.writeValueAsString(DistanceConfig.defaults()), DistanceConfig.class));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new DistanceConfig(DistanceConfig.Kind.VGG19, "x.npz", "kitti", 4, null, 1));
        assertTrue(e.getMessage().contains("'kitti'"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new DistanceConfig(DistanceConfig.Kind.PYRAMID_L1, null, null, 2, List.of(1.0, -1.0, 1.0), 1));
        assertTrue(e2.getMessage().contains("#1"), e2.getMessage());
    }

    @Test
    void layerWeightPresetsMatchTheReference() {
        VggLayerWeights g = VggLayerWeights.preset("GTA5");
        assertEquals(10 / 0.62, g.conv52(), 1e-12);
        assertEquals(1 / 1.4, g.conv12(), 1e-12);
        assertEquals(1 / 4.8, VggLayerWeights.preset("cityscapes").conv22(), 1e-12);
    }
}
