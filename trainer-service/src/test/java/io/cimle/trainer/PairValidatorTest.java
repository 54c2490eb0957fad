package io.cimle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.cimle.core.data.Example;
import io.cimle.core.data.Images;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.data.UnknownLabelPolicy;
import io.cimle.service.Rejection;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.Photo;
import org.junit.jupiter.api.Test;

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
