package io.cimle.trainer;

import ai.djl.Device;
import io.cimle.core.data.Example;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.Presets;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.ObjectStore;
import io.cimle.core.storage.S3ObjectStore;
import io.cimle.core.storage.S3Settings;
import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.ImleTrainer;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.DistanceConfig;
import io.cimle.core.training.distance.Distances;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;

/**
 * A real S3 API server (s3proxy, in memory) holding what a trainer that ran before left behind: the
 * stored pairs and a checkpoint after one epoch. The service under test must pick up from there.
 */
public class S3WithCheckpointResource implements QuarkusTestResourceLifecycleManager {
    static final String BUCKET = "cimle-test";
    static S3ProxyJunitCore s3;
    static long previousStep;

    @Override
    public Map<String, String> start() {
        try {
            s3 = new S3ProxyJunitCore.Builder().withCredentials("test-access", "test-secret")
                    .withBlobStoreProvider("transient").build();
            s3.beforeEach();
            S3Settings settings = new S3Settings(s3.getUri(), "us-east-1", BUCKET, "", "test-access", "test-secret", true,
                    16L << 20, 8L << 20, 3, true);
            try (ObjectStore store = new S3ObjectStore(settings)) {
                seed(store);
            }
            Map<String, String> c = new HashMap<>(TinyTrainingResource.settings());
            c.put("cimle.storage.kind", "s3");
            c.put("cimle.storage.s3.endpoint", s3.getUri().toString());
            c.put("cimle.storage.s3.bucket", BUCKET);
            c.put("cimle.storage.s3.access-key-id", "test-access");
            c.put("cimle.storage.s3.secret-access-key", "test-secret");
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void seed(ObjectStore store) throws Exception {
        var labels = ToyScenes.labelSet();
        DatasetStore pairs = new DatasetStore(store, "toy", labels);
        List<Example> examples = new ToyScenes(32, 16).generate(10, 5).stream().map(ToyScenes.Scene::example).toList();
        for (Example e : examples) {
            pairs.putIfAbsent(e);
        }
        ImleConfig config = ImleConfig.REFERENCE.withExamples(8).withCandidates(3).withSteps(10)
                .withEpochs(3).withLearningRate(1e-3).withSeed(42).withRebalancing(true, true);
        try (GeneratorNetwork net = GeneratorNetwork.create(Presets.tiny(labels.channels()), Device.cpu(), 42);
                Distance distance = Distances.create(DistanceConfig.defaults());
                ImleTrainer trainer = new ImleTrainer(net, distance, pairs.loadAll(), null, config)) {
            trainer.trainUntil(p -> p.epoch() == 1);
            Checkpoint c = trainer.checkpoint();
            previousStep = c.step();
            new CheckpointStore(store, 3, true).publish(new CheckpointStore.Publication("toy", c.step(), c.epoch(),
                    Map.of("loss", 1.0), "tiny", 32, 16), c.toBytes());
        }
    }

    @Override
    public void stop() {
        if (s3 != null) {
            s3.afterEach();
        }
    }
}
