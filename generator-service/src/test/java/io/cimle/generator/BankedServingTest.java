package io.cimle.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import com.google.protobuf.ByteString;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.CodeBank;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.InterpolationMethod;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.core.model.Sampler;
import io.cimle.service.Rejection;
import io.cimle.wire.v1.Interpolation;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model with a code bank serves what the banked sampler draws: seeded samples and interpolations alike. */
class BankedServingTest {

    @Test
    void aBankedModelAnswersTheMatchedLooksOfTheCodesItReplies() throws Rejection {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(GeneratorSettings.class)
                .withSources(new PropertiesConfigSource(Map.of("cimle.generator.max-samples", "8"), "test", 500))
                .build();
        RequestPlanner planner = new RequestPlanner();
        planner.settings = config.getConfigMapping(GeneratorSettings.class);
        SampleRunner runner = new SampleRunner();
        runner.settings = planner.settings;
        runner.metrics = new GeneratorMetrics();
        runner.metrics.registry = new SimpleMeterRegistry();
        runner.metrics.register();

        ModelConfig pooled = Presets.tiny(LabelSets.TOY_SCENES.channels()).withRegionPooling(true);
        List<ToyScenes.Scene> scenes = new ToyScenes(32, 16).generate(4, 3);
        List<CodeBank.Matched> matched = new ArrayList<>();
        for (int e = 0; e < scenes.size(); e++) {
            matched.add(CodeBank.tableOf(pooled, scenes.get(e).layout(), LatentCodes.sample(pooled, 50, e)));
        }
        CodeBank bank = new CodeBank(pooled, matched, 0);
        GeneratorNetwork net = GeneratorNetwork.create(pooled, Device.cpu(), 1);
        LoadedModel model = new LoadedModel("000001", net, ToyScenes.labelSet(), 10, 0, bank);
        try (Sampler banked = Sampler.wrap(net, 4).withBank(bank)) {
            ClassMap layout = scenes.get(0).layout();
            LayoutRequest seeded = LayoutRequest.newBuilder().setRequestId("r1").setNumSamples(3).setSeed(9)
                    .setHasSeed(true).setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                            .setPng(ByteString.copyFrom(LayoutEncoder.classIdsPng(layout)))).build();
            PlannedRequest planned = planner.plan(seeded, model, 0);
            List<RgbImage> served = runner.run(model, List.of(planned)).images().get(0);
            List<RgbImage> drawn = banked.generate(layout, 3, 9).images();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(drawn.get(i).rgb(), served.get(i).rgb(), "sample " + i);
            }

            LatentCode from = planned.codes().get(0);
            LatentCode to = planned.codes().get(1);
            LayoutRequest walk = seeded.toBuilder().setRequestId("r2").setInterpolation(Interpolation.newBuilder()
                    .setSteps(4).setFrom(WireCodes.toWire(from, Integer.MAX_VALUE)).setTo(WireCodes.toWire(to, Integer.MAX_VALUE))).build();
            PlannedRequest frames = planner.plan(walk, model, 0);
            List<RgbImage> walked = runner.run(model, List.of(frames)).images().get(0);
            assertEquals(4, walked.size());
            assertArrayEquals(drawn.get(0).rgb(), walked.get(0).rgb(), "the walk starts at the first code's look");
            assertArrayEquals(drawn.get(1).rgb(), walked.get(3).rgb(), "and ends at the second's");
            List<RgbImage> expected = banked.interpolate(layout, from, to, 4, InterpolationMethod.LINEAR).images();
            assertArrayEquals(expected.get(1).rgb(), walked.get(1).rgb(), "between them, the sampler's walk");
        } finally {
            model.release();
        }
    }
}
