package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.cimle.core.data.Example;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.CodeBank;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.LayoutTensors;
import io.cimle.core.model.Sampler;
import io.cimle.core.model.Scalars;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.PyramidL1Distance;
import io.cimle.core.training.distance.TargetFeatures;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImleTrainerTest {

    @Test
    void selectionKeepsTheCodeWhoseSampleIsTheTarget() {
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(1); Distance d = PyramidL1Distance.defaults()) {
            Example base = TrainingFixtures.toyExamples(1, 3).get(0);
            long wanted = 1234L;
            // Make the photo the generator's own sample for `wanted`: that code is then nearest.
            Example example;
            try (NDManager m = net.manager().newSubManager()) {
                LatentCode code = LatentCode.fromSeed(wanted, LatentCodes.shapeFor(net.config()));
                NDArray out = net.forward(LayoutTensors.oneHot(m, List.of(base.layout())),
                        net.noiseFor(List.of(code), m), false);
                example = new Example("self", base.layout(), ImageTensors.toImages(out).get(0));
            }
            ImleConfig cfg = TrainingFixtures.tinyImle().withExamples(1).withCandidates(5);
            long[] seeds = {11L, 22L, wanted, 33L, 44L};
            assertArrayEquals(new long[] {wanted}, keepNearest(net, d, List.of(example), cfg, new int[] {0}, seeds));
            long[] rotated = {wanted, 11L, 22L, 33L, 44L};
            assertArrayEquals(new long[] {wanted}, keepNearest(net, d, List.of(example), cfg, new int[] {0}, rotated));
        }
    }

    @Test
    void batchedSelectionEqualsOneAtATime() {
        List<Example> data = TrainingFixtures.toyExamples(5, 11);
        int[] chosen = {0, 3, 1, 4, 2};
        long[] seeds = new long[chosen.length * 3];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = 1000 + 17L * i;
        }
        long[][] kept = new long[3][];
        int[] batchSizes = {1, 4, 15};
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(2); Distance d = PyramidL1Distance.defaults()) {
            for (int b = 0; b < batchSizes.length; b++) {
                ImleConfig cfg = TrainingFixtures.tinyImle().withExamples(5).withSelectionBatch(batchSizes[b]);
                kept[b] = keepNearest(net, d, data, cfg, chosen, seeds);
            }
        }
        assertArrayEquals(kept[0], kept[1]);
        assertArrayEquals(kept[0], kept[2]);
    }

    /** The seed of the nearest of each chosen example's candidates (example-major): a flat selection's kept seeds. */
    private static long[] keepNearest(GeneratorNetwork net, Distance d, List<Example> examples, ImleConfig cfg,
                                      int[] chosen, long[] seeds) {
        return new Matching(net, d, cfg, TrainingData.prepare(examples, null, cfg, net.config()), new java.util.HashMap<>())
                .keepNearest(chosen, seeds, 0, 0);
    }

    @Test
    void aStepLowersTheLossOnAFixedExample() {
        List<Example> data = TrainingFixtures.toyExamples(1, 5);
        ImleConfig cfg = TrainingFixtures.tinyImle().withExamples(1).withSteps(2).withEpochs(1);
        List<Double> losses = new ArrayList<>();
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(3); Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, d, data, null, cfg)) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(TrainingProgress p, long step, double loss, double selMs, double updMs) {
                    losses.add(loss);
                }
            });
            trainer.train();
        }
        assertEquals(2, losses.size());
        assertTrue(losses.get(1) < losses.get(0), "loss did not drop: " + losses);
    }

    @Test
    void nonFiniteLossStopsWithoutTouchingTheWeights() {
        List<Example> data = TrainingFixtures.toyExamples(4, 5);
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(4); Distance d = new NanDistance();
             ImleTrainer trainer = new ImleTrainer(net, d, data, null, TrainingFixtures.tinyImle())) {
            byte[] before = net.saveParameters();
            List<String> written = new ArrayList<>();
            trainer.checkpointTo((c, p) -> {
                written.add("x");
                return "x";
            }, (p, end) -> true);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, trainer::train);
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
            assertEquals(1, e.step());
            assertArrayEquals(before, net.saveParameters());
            assertTrue(written.isEmpty());
        }
    }

    @Test
    void resumeContinuesExactlyAsAnUninterruptedRun() throws Exception {
        // Decay at epoch 1 is part of the path: encoder re-init and Adam reset must replay too.
        assertResumesExactly(TrainingFixtures.tinyImle().withDecay(1, true).withRebalancing(true, true));
    }

    /** The kept codes composed region by region travel in the checkpoint (their donors) and are rebuilt. */
    @Test
    void aRegionalSelectionResumesExactly() throws Exception {
        assertResumesExactly(TrainingFixtures.tinyImle().withCandidates(4).withSelection(CodeSelection.REGIONAL));
    }

    @Test
    void theCheckpointCarriesTheCodesTheLastEpochsMatchedAndAResumeKeepsThem() throws Exception {
        List<Example> data = TrainingFixtures.toyExamples(6, 9);
        ImleConfig cfg = TrainingFixtures.tinyImle().withEpochs(3).withCandidates(4).withSelection(CodeSelection.REGIONAL)
                .with(ImleConfig.CODE_BANK_EPOCHS, 2).with(ImleConfig.CODE_BANK_JITTER, 0.1);
        var pooled = TrainingFixtures.tinyConfig().withRegionPooling(true);
        byte[] saved;
        try (GeneratorNetwork net = GeneratorNetwork.create(pooled, ai.djl.Device.cpu(), 5);
             Distance d = PyramidL1Distance.defaults(); ImleTrainer trainer = new ImleTrainer(net, d, data, null, cfg)) {
            assertEquals(null, trainer.codeBank(), "nothing matched yet");
            trainer.train();
            CodeBank bank = trainer.codeBank();
            // Epochs 1 and 2 chose 4 of 6 examples each: 4 to 6 distinct examples, each its latest match.
            assertTrue(bank.size() >= 4 && bank.size() <= 6, "bank of " + bank.size());
            assertEquals(0.1, bank.jitter());
            saved = trainer.checkpoint().toBytes();
        }
        Checkpoint checkpoint = Checkpoint.readFrom(new ByteArrayInputStream(saved));
        try (Sampler sampler = Sampler.fromCheckpoint(checkpoint, ai.djl.Device.cpu(), 4)) {
            assertTrue(sampler.bank() != null && sampler.bank().size() >= 4, "the sampler draws the checkpoint's bank");
        }
        try (GeneratorNetwork net = GeneratorNetwork.create(pooled, ai.djl.Device.cpu(), 6);
             Distance d = PyramidL1Distance.defaults();
             ImleTrainer resumed = ImleTrainer.resume(checkpoint, net, d, data, null)) {
            assertArrayEquals(CodeBank.fromBytes(pooled, checkpoint.extras().get(CodeBank.CHECKPOINT_EXTRA)).toBytes(),
                    resumed.codeBank().toBytes(), "a resumed run serves the bank it was saved with");
        }
        try (GeneratorNetwork net = GeneratorNetwork.create(pooled, ai.djl.Device.cpu(), 5);
             Distance d = PyramidL1Distance.defaults();
             ImleTrainer gaussian = new ImleTrainer(net, d, data, null, cfg.with(ImleConfig.CODE_BANK_EPOCHS, 0))) {
            gaussian.train();
            assertEquals(null, gaussian.codeBank());
            assertFalse(gaussian.checkpoint().extras().containsKey(CodeBank.CHECKPOINT_EXTRA), "no bank asked for");
        }
    }

    /**
     * Bank candidates: from the second epoch some kept parts are vectors an earlier epoch matched (offered part by
     * part), and such codes, which their seeds do not describe, travel in a mid-epoch checkpoint.
     */
    @Test
    void bankCandidatesOfferEarlierMatchesAndResumeExactly() throws Exception {
        ImleConfig cfg = TrainingFixtures.tinyImle().withCandidates(4).withSelection(CodeSelection.REGIONAL)
                .with(ImleConfig.CODE_BANK_EPOCHS, 2).with(ImleConfig.BANK_CANDIDATES, 4);
        var pooled = TrainingFixtures.tinyConfig().withRegionPooling(true);
        List<Example> data = TrainingFixtures.toyExamples(6, 9);
        try (GeneratorNetwork net = GeneratorNetwork.create(pooled, ai.djl.Device.cpu(), 5);
             Distance d = PyramidL1Distance.defaults(); ImleTrainer trainer = new ImleTrainer(net, d, data, null, cfg)) {
            trainer.trainUntil(p -> p.epoch() == 1);
            List<float[]> earlier = new ArrayList<>();
            trainer.codeBank().matched().forEach(m -> java.util.Arrays.stream(m.scene()).filter(v -> v != null)
                    .forEach(earlier::add));
            trainer.trainUntil(p -> p.stepInEpoch() == 1);
            int fromBank = 0;
            for (int i = 0; i < data.size(); i++) {
                LatentCode code = trainer.matchedCode(i);
                if (code == null) {
                    continue;
                }
                for (float[] v : CodeBank.tableOf(pooled, data.get(i).layout(), code).scene()) {
                    fromBank += v != null && earlier.stream().anyMatch(e -> near(e, v)) ? 1 : 0;
                }
            }
            assertTrue(fromBank > 0, "no kept part came from the bank");
        }
        assertResumesExactly(cfg, pooled);
    }

    private static boolean near(float[] a, float[] b) {
        for (int k = 0; k < a.length; k++) {
            if (Math.abs(a[k] - b[k]) > 1e-4) {
                return false;
            }
        }
        return true;
    }

    private static void assertResumesExactly(ImleConfig cfg) throws Exception {
        assertResumesExactly(cfg, TrainingFixtures.tinyConfig());
    }

    private static void assertResumesExactly(ImleConfig cfg, io.cimle.core.model.ModelConfig model) throws Exception {
        List<Example> data = TrainingFixtures.toyExamples(6, 9);
        byte[] straight;
        try (GeneratorNetwork net = GeneratorNetwork.create(model, ai.djl.Device.cpu(), 5); Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, d, data, null, cfg)) {
            trainer.train();
            straight = net.saveParameters();
        }
        byte[] saved;
        try (GeneratorNetwork net = GeneratorNetwork.create(model, ai.djl.Device.cpu(), 5); Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, d, data, null, cfg)) {
            trainer.trainUntil(p -> p.epoch() == 1);
            saved = trainer.checkpoint().toBytes();
        }
        // And a checkpoint in the middle of an epoch.
        byte[] midEpoch;
        try (Distance d = PyramidL1Distance.defaults(); GeneratorNetwork net = GeneratorNetwork.create(model, ai.djl.Device.cpu(), 77);
             ImleTrainer resumed = ImleTrainer.resume(Checkpoint.readFrom(new ByteArrayInputStream(saved)), net, d,
                     data, null)) {
            assertEquals(1, resumed.progress().epoch());
            resumed.trainUntil(p -> p.stepInEpoch() == 1);
            midEpoch = resumed.checkpoint().toBytes();
        }
        try (Distance d = PyramidL1Distance.defaults(); GeneratorNetwork net = GeneratorNetwork.create(model, ai.djl.Device.cpu(), 78);
             ImleTrainer resumed = ImleTrainer.resume(Checkpoint.readFrom(new ByteArrayInputStream(midEpoch)), net, d,
                     data, null)) {
            resumed.train();
            assertEquals(2, resumed.progress().epoch());
            assertParametersClose(straight, resumed.network(), model);
        }
    }

    private static void assertParametersClose(byte[] expectedParams, GeneratorNetwork actual,
                                              io.cimle.core.model.ModelConfig model) {
        try (GeneratorNetwork expected = GeneratorNetwork.create(model, ai.djl.Device.cpu(), 99)) {
            expected.loadParameters(new Checkpoint(expected.config(), 0, 0, Instant.EPOCH,
                    Map.of(), expectedParams, Map.of()));
            var a = expected.parameters();
            var b = actual.parameters();
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                Pair<String, Parameter> pa = a.get(i);
                float[] x = pa.getValue().getArray().toFloatArray();
                float[] y = b.get(i).getValue().getArray().toFloatArray();
                for (int j = 0; j < x.length; j++) {
                    assertEquals(x[j], y[j], 1e-6, pa.getKey() + "[" + j + "]");
                }
            }
        }
    }

    /** New examples at an epoch boundary continue the run exactly as a resume on them with refitted statistics. */
    @Test
    void newExamplesAtAnEpochBoundaryContinueAsAResumeOnThemWould() throws Exception {
        List<Example> grown = TrainingFixtures.toyExamples(10, 5);
        List<Example> first = grown.subList(0, 6);
        ImleConfig cfg = TrainingFixtures.tinyImle().withRebalancing(true, true).withEpochs(3);
        byte[] afterEpoch0;
        String continued;
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(5); Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, d, first, null, cfg)) {
            trainer.trainUntil(p -> p.epoch() == 1);
            afterEpoch0 = trainer.checkpoint().toBytes();
            trainer.continueWith(grown, cfg.withExamples(6));
            trainer.train();
            continued = SeededRun.weightHash(net);
        }
        String resumed;
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(77); Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = ImleTrainer.resume(Checkpoint.readFrom(new ByteArrayInputStream(afterEpoch0)), net, d,
                     grown, cfg.withExamples(6), true)) {
            trainer.train();
            resumed = SeededRun.weightHash(net);
        }
        assertEquals(resumed, continued);
    }

    @Test
    void newExamplesMidEpochAreRefused() {
        List<Example> data = TrainingFixtures.toyExamples(4, 5);
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(4); Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, d, data, null, TrainingFixtures.tinyImle())) {
            trainer.trainUntil(p -> p.stepInEpoch() == 1);
            assertThrows(IllegalStateException.class, () -> trainer.continueWith(data, TrainingFixtures.tinyImle()));
        }
    }

    /** Health is measured at every epoch's end, and the run it measures is the same as without it. */
    @Test
    void healthIsReportedEveryEpochAndAnUnresponsiveModelStopsTheRun() {
        List<Example> data = TrainingFixtures.toyExamples(4, 5);
        List<ModelHealth> seen = new ArrayList<>();
        TrainingState state;
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(4); Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, d, data, null, TrainingFixtures.tinyImle())) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void onHealth(TrainingProgress progress, ModelHealth health) {
                    seen.add(health);
                }
            });
            trainer.train();
            state = trainer.state();
        }
        assertEquals(2, seen.size());
        assertEquals(0, seen.get(0).epoch());
        assertTrue(seen.get(1).codeSpread() > 0, seen.toString());
        assertEquals(Math.min(seen.get(0).meanLoss(), seen.get(1).meanLoss()), seen.get(1).bestLoss());
        assertEquals(seen.get(1).meanLoss(), seen.get(1).trend().previous());
        for (ModelHealth h : seen) {
            // Three Adam steps at lr 1e-3 move the tiny model's weights by 2.0 and 1.2 learning rates (RMS): two
            // orders of magnitude above the floor (a broken update, below, moves them by 5e-6).
            assertTrue(h.weightMove() > 50 * ModelHealth.MIN_WEIGHT_MOVE, h.describe());
            assertTrue(h.healthy(), h.describe());
        }
        // The trend travels in the checkpoint (NaN included), and one written before it existed reads as none.
        assertEquals(state.lossTrend(), TrainingState.fromJsonBytes(state.toJsonBytes()).lossTrend());
        String old = new String(state.toJsonBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .replaceFirst(",?\"lossTrend\":\\{[^}]*\\}", "");
        assertFalse(old.contains("lossTrend"), old);
        assertEquals(LossTrend.NONE, TrainingState.fromJsonBytes(old.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .lossTrend());

        // A floor no model can reach: the run stops loudly at the end of epoch 1 (epoch 0 is exempt).
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(4); Distance d = PyramidL1Distance.defaults();
             ImleTrainer trainer = new ImleTrainer(net, d, data, null, TrainingFixtures.tinyImle())) {
            trainer.setMinCodeSpread(1.0).addListener(TrainingListener.stopWhenUnhealthy());
            DeadModelException e = assertThrows(DeadModelException.class, trainer::train);
            assertEquals(1, e.health().epoch());
            assertTrue(e.getMessage().contains("no longer responds to its code"), e.getMessage());
        }
    }

    /**
     * A broken update that still passes every step's checks: a loss scaled by 1e-15 leaves gradients far below
     * Adam's epsilon, so each step moves the weights by a ten-millionth of a learning rate; the loss is finite and
     * the gradient not zero. The run stops at the end of epoch 0 because the weights do not move. With the check
     * off the same run trains to the end, its health still reported, and training with the check on or off gives
     * the same weights (the check only observes).
     */
    @Test
    void weightsThatDoNotMoveStopTheRunUnlessTheCheckIsOff() {
        List<Example> data = TrainingFixtures.toyExamples(4, 5);
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(4); Distance d = new NanDistance(1e-15f);
             ImleTrainer trainer = new ImleTrainer(net, d, data, null, TrainingFixtures.tinyImle())) {
            trainer.addListener(TrainingListener.stopWhenUnhealthy());
            DeadModelException e = assertThrows(DeadModelException.class, trainer::train);
            assertEquals(0, e.health().epoch());
            assertFalse(e.health().weightsMove(), e.health().describe());
            assertTrue(e.getMessage().contains("weights no longer move"), e.getMessage());
        }
        List<ModelHealth> seen = new ArrayList<>();
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(4); Distance d = new NanDistance(1e-15f);
             ImleTrainer trainer = new ImleTrainer(net, d, data, null, TrainingFixtures.tinyImle())) {
            trainer.setHealthCheck(false).addListener(TrainingListener.stopWhenUnhealthy());
            trainer.addListener(new TrainingListener() {
                @Override
                public void onHealth(TrainingProgress progress, ModelHealth health) {
                    seen.add(health);
                }
            });
            assertEquals(2, trainer.train().epoch());
        }
        assertEquals(2, seen.size());
        for (ModelHealth h : seen) {
            assertTrue(h.healthy() && !h.checked() && Double.isNaN(h.weightMove()), h.describe());
        }
        String[] hashes = new String[2];
        for (int on = 0; on < 2; on++) {
            try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(4); Distance d = PyramidL1Distance.defaults();
                 ImleTrainer trainer = new ImleTrainer(net, d, data, null, TrainingFixtures.tinyImle())) {
                trainer.setHealthCheck(on == 1).train();
                hashes[on] = SeededRun.weightHash(net);
            }
        }
        assertEquals(hashes[0], hashes[1]);
    }

    /** A distance whose loss is NaN. */
    /** A loss that ignores the generated image has no gradient: the trainer must say so, not go on. */
    @Test
    void aStepWithoutAnyGradientStopsLoudly() {
        List<Example> data = TrainingFixtures.toyExamples(4, 5);
        try (GeneratorNetwork net = TrainingFixtures.tinyNetwork(4); Distance d = new NanDistance(0f);
             ImleTrainer trainer = new ImleTrainer(net, d, data, null, TrainingFixtures.tinyImle())) {
            NoGradientException e = assertThrows(NoGradientException.class, trainer::train);
            assertEquals(1, e.step());
            assertTrue(e.getMessage().contains("no gradient reached the generator"), e.getMessage());
        }
    }

    /** The pyramid L1 distance times a constant: NaN poisons the loss, 0 removes every gradient. */
    private static final class NanDistance implements Distance {
        private final PyramidL1Distance inner = PyramidL1Distance.defaults();
        private final float factor;

        NanDistance() {
            this(Float.NaN);
        }

        NanDistance(float factor) {
            this.factor = factor;
        }

        @Override
        public String describe() {
            return "nan";
        }

        @Override
        public NDArray perSample(NDArray generated, NDArray target, NDArray mask) {
            return Scalars.times(inner.perSample(generated, target, mask), factor);
        }

        @Override
        public TargetFeatures prepare(NDArray target, NDArray mask) {
            return inner.prepare(target, mask);
        }

        @Override
        public NDArray perCandidate(NDArray candidates, TargetFeatures target) {
            return inner.perCandidate(candidates, target);
        }

        @Override
        public NDArray perCandidateByRegion(NDArray candidates, TargetFeatures target, NDArray regions) {
            return inner.perCandidateByRegion(candidates, target, regions);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
