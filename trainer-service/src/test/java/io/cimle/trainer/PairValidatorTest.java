package io.cimle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Example;
import io.cimle.core.data.Images;
import io.cimle.core.data.InstanceMaps;
import io.cimle.core.data.LayoutComponents;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.UnknownLabelPolicy;
import io.cimle.core.storage.FileSystemObjectStore;
import io.cimle.service.Rejection;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.Photo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a training pair is refused, each with its code; a good pair comes out at the model's size. */
class PairValidatorTest {
    private final ToyScenes.Scene scene = new ToyScenes(32, 16).generate(1, 4).get(0);
    private final PairValidator validator = new PairValidator(ToyScenes.labelSet(), 16, 8, 1 << 20, UnknownLabelPolicy.VOID);

    @Test
    void aGoodPairIsResizedToTheModel() throws Rejection {
        Example e = validator.validate(PairProducer.toyPair(scene));
        assertEquals(scene.id(), e.id());
        assertEquals(16, e.layout().width());
        assertEquals(8, e.photo().height());
    }

    /** An instance map rides with its pair through validation and the trainer's store, touching objects apart. */
    @Test
    void anInstanceMapIsCheckedKeptAndStored(@TempDir Path dir) throws Exception {
        ClassMap layout = scene.layout();
        int[] halves = new int[layout.ids().length];
        for (int p = 0; p < halves.length; p++) {
            halves[p] = p % layout.width() < layout.width() / 2 ? 1 : 2; // every class split down the middle
        }
        LayoutImagePair good = PairProducer.toyPair(scene);
        LayoutImagePair withMap = good.toBuilder().setLayout(good.getLayout().toBuilder().setInstancePng(
                ByteString.copyFrom(InstanceMaps.png(layout.withInstances(halves))))).build();
        Example e = validator.validate(withMap);
        assertTrue(e.layout().hasInstances());
        assertEquals(16 * 8, e.layout().instances().length, "resized with the layout");
        assertNotEquals(e.layout().instances()[0], e.layout().instances()[15]);

        DatasetStore store = new DatasetStore(new FileSystemObjectStore(dir), "m", ToyScenes.labelSet());
        store.putIfAbsent(e);
        store.putIfAbsent(validator.validate(good.toBuilder().setId("plain").build()));
        List<Example> back = store.loadAll();
        Example stored = back.stream().filter(x -> x.layout().hasInstances()).findFirst().orElseThrow();
        assertEquals(LayoutComponents.of(e.layout()).count(), LayoutComponents.of(stored.layout()).count(),
                "the stored map names the same objects");
        assertEquals(1, back.stream().filter(x -> !x.layout().hasInstances()).count(), "a pair without stays without");

        assertCode(ErrorCode.INSTANCE_MAP_INVALID, good.toBuilder().setLayout(good.getLayout().toBuilder()
                .setInstancePng(ByteString.copyFromUtf8("not a png"))).build());
        assertCode(ErrorCode.INSTANCE_MAP_INVALID, good.toBuilder().setLayout(good.getLayout().toBuilder()
                .setInstancePng(ByteString.copyFrom(InstanceMaps.png(new ClassMap(4, 4, layout.channels(), new int[16])
                        .withInstances(new int[16]))))).build());
    }

    @Test
    void eachFaultHasItsCode() {
        LayoutImagePair good = PairProducer.toyPair(scene);
        assertCode(ErrorCode.INVALID_REQUEST, good.toBuilder().setId("").build());
        assertCode(ErrorCode.INVALID_REQUEST, good.toBuilder().clearPhoto().build());
        assertCode(ErrorCode.PHOTO_UNDECODABLE, good.toBuilder()
                .setPhoto(Photo.newBuilder().setData(ByteString.copyFromUtf8("not an image"))).build());
        assertCode(ErrorCode.SIZE_MISMATCH, good.toBuilder().setPhoto(Photo.newBuilder()
                .setData(ByteString.copyFrom(Images.encodePng(RgbImage.blank(8, 8))))).build());
        assertCode(ErrorCode.LAYOUT_UNDECODABLE, good.toBuilder().setLayout(good.getLayout().toBuilder()
                .setPng(ByteString.copyFromUtf8("PNG? no"))).build());
        PairValidator tiny = new PairValidator(ToyScenes.labelSet(), 16, 8, 100, UnknownLabelPolicy.VOID);
        Rejection e = assertThrows(Rejection.class, () -> tiny.validate(good));
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.code());
    }

    private void assertCode(ErrorCode expected, LayoutImagePair pair) {
        Rejection e = assertThrows(Rejection.class, () -> validator.validate(pair));
        assertEquals(expected, e.code(), e.getMessage());
    }
}
