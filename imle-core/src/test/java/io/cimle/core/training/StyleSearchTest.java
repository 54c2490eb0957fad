package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.NoiseMode;
import io.cimle.core.model.Presets;
import io.cimle.core.model.Sampler;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.PyramidL1Distance;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StyleSearchTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 8}) // a plain vector code, and one with region blocks
    void aReferenceMadeFromASearchedCodeIsFoundAgainAndTheFoundCodesComeNearestFirst(int regionDim) {
        ModelConfig config = Presets.tiny(LabelSets.TOY_SCENES.channels()).withNoiseMode(NoiseMode.VECTOR)
                .withRegionCodeDim(regionDim);
        ClassMap layout = new ToyScenes(32, 16).sample(2, 0).layout();
        int candidates = 12;
        long[] seeds = new SplittableRandom(9).longs(candidates).toArray();
        // An untrained network's outputs leave [0, 255]: the search must compare them clamped, as the photo is.
        try (GeneratorNetwork net = GeneratorNetwork.create(config, Device.cpu(), 21);
             Sampler sampler = Sampler.wrap(net, 4); Distance d = PyramidL1Distance.defaults()) {
            RgbImage reference = sampler.generate(layout, List.of(LatentCode.fromSeed(seeds[4],
                    LatentCodes.shapeFor(config)))).images().get(0);
            List<StyleSearch.Found> found = new StyleSearch(sampler.network(), d, 5).nearest(layout, reference,
                    candidates, 9, 3);
            assertEquals(3, found.size());
            assertEquals(seeds[4], found.get(0).code().seed());
            assertTrue(found.get(0).distance() < 2, "8-bit rounding only: " + found.get(0).distance());
            assertTrue(found.get(0).distance() <= found.get(1).distance()
                    && found.get(1).distance() <= found.get(2).distance());
            // The same search finds the same codes.
            assertEquals(found.get(1).code().seed(), new StyleSearch(sampler.network(), d, 5)
                    .nearest(layout, reference, candidates, 9, 3).get(1).code().seed());
        }
    }
}
