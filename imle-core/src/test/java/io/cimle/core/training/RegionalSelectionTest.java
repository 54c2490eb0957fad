package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Example;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.eval.ToyModeData;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.GradMode;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LayoutTensors;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.NoiseMode;
import io.cimle.core.model.Presets;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.PyramidL1Distance;
import io.cimle.core.training.distance.TargetFeatures;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegionalSelectionTest {
    private static final ModelConfig VECTOR = Presets.tiny(LabelSets.TOY_SCENES.channels())
            .withNoiseMode(NoiseMode.VECTOR).withRegionCodeDim(4);
    private final List<Example> examples = ToyModeData.scenes(32, 16, 6, 3, ToyScenes.Variant.REGIONS.modes())
            .stream().map(ToyScenes.Scene::example).toList();

    @Test
    void theDistanceSplitByRegionSumsToTheWholeDistance() {
        try (NDManager m = NDManager.newBaseManager(); Distance d = PyramidL1Distance.defaults()) {
            Example e = examples.get(0);
            NDArray target = ImageTensors.pixels255(m, List.of(e.photo()));
            RgbImage other = examples.get(1).photo();
            NDArray candidates = ImageTensors.pixels255(m, List.of(other, e.photo()));
            NDArray mask = m.randomUniform(0.5f, 2f, new Shape(1, 1, 16, 32));
            try (TargetFeatures t = d.prepare(target, mask)) {
                float[] whole = d.perCandidate(candidates, t).toFloatArray();
                float[] split = d.perCandidateByRegion(candidates, t, LayoutTensors.oneHot(m, List.of(e.layout())))
                        .toFloatArray();
                int classes = LabelSets.TOY_SCENES.channels();
                for (int j = 0; j < 2; j++) {
                    double sum = 0;
                    for (int c = 0; c < classes; c++) {
                        sum += split[j * classes + c];
                    }
                    assertEquals(whole[j], sum, 1e-3 * Math.max(1, whole[j]), "candidate " + j);
                }
                assertEquals(0, whole[1], 1e-6);
            }
        }
    }

    @Test
    void wholeCodesMeasuredByTheCallerGiveTheSameSelection() {
        try (GeneratorNetwork net = GeneratorNetwork.create(VECTOR, Device.cpu(), 4);
             Distance d = PyramidL1Distance.defaults()) {
            NearestCodeSelector selector = new NearestCodeSelector(net, d, 6);
            NearestCodeSelector.Targets targets = targets();
            int m = 6;
            long[] seeds = new SplittableRandom(2).longs(examples.size() * m).toArray();
            RegionalSelection selection = new RegionalSelection(selector, VECTOR, 0);
            KeptCodes inside = GradMode.withoutGradients(() -> selection.select(targets, seeds, m, v -> v));
            // As a style search does: every candidate measured once, split by class, in forwards of m.
            float[][] measured = GradMode.withoutGradients(() -> selector.regionDistances(targets, seeds, m));
            KeptCodes given = GradMode.withoutGradients(
                    () -> selection.select(targets, seeds, m, v -> v, measured));
            assertArrayEquals(inside.seeds(), given.seeds());
            assertArrayEquals(inside.donors(), given.donors());
            assertEquals(inside.codes(), given.codes());
            assertTrue(inside.composedKept() > 0, "the case is one where composition happens");
        }
    }

    @Test
    void theKeptCodeIsNeverFartherThanTheBestWholeCandidateAndComposesOften() {
        try (GeneratorNetwork net = GeneratorNetwork.create(VECTOR, Device.cpu(), 4);
             Distance d = PyramidL1Distance.defaults()) {
            NearestCodeSelector selector = new NearestCodeSelector(net, d, 7);
            NearestCodeSelector.Targets targets = targets();
            int m = 6;
            long[] seeds = new SplittableRandom(1).longs(examples.size() * m).toArray();
            KeptCodes kept = GradMode.withoutGradients(() -> new RegionalSelection(selector, VECTOR, 0)
                    .select(targets, seeds, m, v -> v));
            int m1 = RegionalSelection.wholeCandidates(m);
            float[] whole = selector.distances(targets, seeds, m); // every candidate as a whole code
            float[] keptDistance = selector.distances(targets, kept.codes(), 1);
            for (int t = 0; t < examples.size(); t++) {
                float bestWhole = Float.MAX_VALUE;
                for (int j = 0; j < m1; j++) {
                    bestWhole = Math.min(bestWhole, whole[t * m + j]);
                }
                assertTrue(keptDistance[t] <= bestWhole + 1e-4, "example " + t + ": kept " + keptDistance[t]
                        + " vs best whole " + bestWhole);
            }
            assertTrue(kept.composedKept() >= examples.size() / 2, "composed codes kept for " + kept.composedKept()
                    + " of " + examples.size() + " examples");
            // The batch size changes speed only.
            KeptCodes oneAtATime = GradMode.withoutGradients(() -> new RegionalSelection(
                    new NearestCodeSelector(net, d, 1), VECTOR, 0).select(targets, seeds, m, v -> v));
            assertArrayEquals(kept.donors(), oneAtATime.donors());
            List<ClassMap> layouts = examples.stream().map(Example::layout).toList();
            List<LatentCode> rebuilt = RegionalSelection.rebuild(VECTOR, layouts, kept.seeds(), kept.donors());
            for (int t = 0; t < examples.size(); t++) {
                assertArrayEquals(kept.codes().get(t).materialise().values(), rebuilt.get(t).materialise().values());
            }
        }
    }

    @Test
    void wholeCandidatesLendPartsTooWhenAskedAndTheKeptCodeStaysNoFarther() {
        try (GeneratorNetwork net = GeneratorNetwork.create(VECTOR, Device.cpu(), 4);
             Distance d = PyramidL1Distance.defaults()) {
            NearestCodeSelector selector = new NearestCodeSelector(net, d, 7);
            NearestCodeSelector.Targets targets = targets();
            int m = 6;
            int m1 = RegionalSelection.wholeCandidates(m);
            long[] seeds = new SplittableRandom(1).longs(examples.size() * m).toArray();
            KeptCodes kept = GradMode.withoutGradients(() -> new RegionalSelection(selector, VECTOR, 0, false, true)
                    .select(targets, seeds, m, v -> v));
            float[] whole = selector.distances(targets, seeds, m);
            float[] keptDistance = selector.distances(targets, kept.codes(), 1);
            int parts = kept.donors().length / examples.size();
            int fromWhole = 0;
            for (int t = 0; t < examples.size(); t++) {
                float bestWhole = Float.MAX_VALUE;
                for (int j = 0; j < m1; j++) {
                    bestWhole = Math.min(bestWhole, whole[t * m + j]);
                }
                assertTrue(keptDistance[t] <= bestWhole + 1e-4, "example " + t + ": kept " + keptDistance[t]
                        + " vs best whole " + bestWhole);
                for (int c = 0; c < parts; c++) {
                    long donor = kept.donors()[t * parts + c];
                    for (int j = 0; j < m1; j++) {
                        fromWhole += donor == seeds[t * m + j] && donor != kept.seeds()[t] ? 1 : 0;
                    }
                }
            }
            assertTrue(fromWhole > 0, "no part came from a whole candidate other than the base");
        }
    }

    @Test
    void aVectorCodeWithoutBlocksIsRefusedAtTheStart() {
        ModelConfig plain = VECTOR.withRegionCodeDim(0);
        try (GeneratorNetwork net = GeneratorNetwork.create(plain, Device.cpu(), 4);
             Distance d = PyramidL1Distance.defaults()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImleTrainer(net, d,
                    examples, null, TrainingFixtures.tinyImle().withSelection(CodeSelection.REGIONAL)));
            assertTrue(e.getMessage().contains("regionCodeDim"), e.getMessage());
        }
    }

    private NearestCodeSelector.Targets targets() {
        return NearestCodeSelector.Targets.unweighted(examples.stream().map(Example::layout).toList(),
                examples.stream().map(Example::photo).toList());
    }
}
