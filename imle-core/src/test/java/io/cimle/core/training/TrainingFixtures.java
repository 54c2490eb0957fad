package io.cimle.core.training;

import ai.djl.Device;
import io.cimle.core.data.Example;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import java.util.List;

/** Tiny toy-scene data and networks for the trainer's tests. */
final class TrainingFixtures {
    private TrainingFixtures() {
    }

    static List<Example> toyExamples(int n, long seed) {
        return new ToyScenes(32, 16).generate(n, seed).stream().map(ToyScenes.Scene::example).toList();
    }

    static ModelConfig tinyConfig() {
        return Presets.tiny(LabelSets.TOY_SCENES.channels());
    }

    static GeneratorNetwork tinyNetwork(long initSeed) {
        return GeneratorNetwork.create(tinyConfig(), Device.cpu(), initSeed);
    }

    static ImleConfig tinyImle() {
        return ImleConfig.REFERENCE.withExamples(4).withCandidates(3).withSteps(3)
                .withEpochs(2).withSelectionBatch(6).withRebalancing(false, false).withDecay(0, false)
                .withLearningRate(1e-3).withSeed(7);
    }
}
