package io.cimle.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.protobuf.ByteString;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.InstanceMaps;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.Presets;
import io.cimle.service.Rejection;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.Interpolation;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutRequest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The planner as a plain object over the real config mapping: every limit and every error code. */
class RequestPlannerTest {
    private static LoadedModel model;
    private static RequestPlanner planner;
    private static LayoutRequest good;
    private static ToyScenes.Scene scene;

    @BeforeAll
    static void setUp() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(GeneratorSettings.class)
                .withSources(new PropertiesConfigSource(Map.of("cimle.generator.max-samples", "4"), "test", 500))
                .build();
        planner = new RequestPlanner();
        planner.settings = config.getConfigMapping(GeneratorSettings.class);
        GeneratorNetwork net = GeneratorNetwork.create(Presets.tiny(LabelSets.TOY_SCENES.channels()), Device.cpu(), 1);
        model = new LoadedModel("000001", net, ToyScenes.labelSet(), 10, 0);
        scene = new ToyScenes(32, 16).generate(1, 3).get(0);
        good = LayoutRequest.newBuilder().setRequestId("r1").setNumSamples(3).setSeed(9).setHasSeed(true)
                .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                        .setPng(ByteString.copyFrom(LayoutEncoder.classIdsPng(scene.layout())))).build();
    }

    @AfterAll
    static void tearDown() {
        model.release();
    }

    @Test
    void aSeedGivesThatManyCodesAndTheSameOnesEachTime() throws Rejection {
        PlannedRequest a = planner.plan(good, model, 0);
        PlannedRequest b = planner.plan(good, model, 0);
        assertEquals(3, a.size());
        assertEquals(a.codes(), b.codes());
        assertNull(a.interpolationTs());
    }

    @Test
    void everyLimitAndFaultHasItsCode() {
        assertCode(ErrorCode.INVALID_REQUEST, good.toBuilder().setRequestId("").build());
        assertCode(ErrorCode.INVALID_REQUEST, good.toBuilder().clearLayout().build());
        assertCode(ErrorCode.INVALID_REQUEST, good.toBuilder().setNumSamples(0).build());
        assertCode(ErrorCode.TOO_MANY_SAMPLES, good.toBuilder().setNumSamples(5).build());
        assertCode(ErrorCode.INVALID_REQUEST, good.toBuilder()
                .setInterpolation(Interpolation.newBuilder().setSteps(1)).build());
        assertCode(ErrorCode.LAYOUT_UNDECODABLE, good.toBuilder().setLayout(good.getLayout().toBuilder()
                .setPng(ByteString.copyFromUtf8("not a png"))).build());
        assertCode(ErrorCode.INVALID_REQUEST, good.toBuilder().setReply(good.getReply().toBuilder()
                .setJpegQuality(101)).build());
        assertCode(ErrorCode.INSTANCE_MAP_INVALID, good.toBuilder().setLayout(good.getLayout().toBuilder()
                .setInstancePng(ByteString.copyFromUtf8("not a png"))).build());
        assertCode(ErrorCode.INSTANCE_MAP_INVALID, good.toBuilder().setLayout(good.getLayout().toBuilder()
                .setInstancePng(ByteString.copyFromUtf8("x")).setInstanceEncodingValue(9)).build());
    }

    @Test
    void anInstanceMapIsDecodedWithItsLayoutAtTheModelsSize() throws Rejection {
        ClassMap layout = scene.layout();
        int[] halves = new int[layout.ids().length];
        for (int p = 0; p < halves.length; p++) {
            halves[p] = p % layout.width() < layout.width() / 2 ? 1 : 2;
        }
        LayoutRequest r = good.toBuilder().setLayout(good.getLayout().toBuilder().setInstancePng(
                ByteString.copyFrom(InstanceMaps.png(layout.withInstances(halves))))).build();
        ClassMap planned = planner.plan(r, model, 0).layout();
        assertTrue(planned.hasInstances());
        assertEquals(model.config().width() * model.config().height(), planned.instances().length);
        assertFalse(planner.plan(good, model, 0).layout().hasInstances(), "no map, none made up");
    }

    private static void assertCode(ErrorCode expected, LayoutRequest request) {
        Rejection e = assertThrows(Rejection.class, () -> planner.plan(request, model, 0));
        assertEquals(expected, e.code(), e.getMessage());
    }
}
