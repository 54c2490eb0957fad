package io.cimle.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.cimle.wire.v1.CheckpointEvent;
import io.cimle.wire.v1.DeadLetter;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.ErrorReply;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.Interpolation;
import io.cimle.wire.v1.LatentCode;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.Photo;
import io.cimle.wire.v1.SampleReply;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class SerdesRoundTripTest {

    static final LatentCode CODE = LatentCode.newBuilder()
            .addAllValues(List.of(0.5f, -1.25f, 3f, Float.MIN_VALUE))
            .addAllShape(List.of(1, 4)).setSeed(7).setHasSeed(true).build();

    static final Layout LAYOUT = Layout.newBuilder().setEncoding(LayoutEncoding.COLORS)
            .setPng(ByteString.copyFrom(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2}))
            .setPalette("cityscapes").setWidth(64).setHeight(32).build();

    @Test
    void everyMessageSurvivesItsSerdes() {
        assertRoundTrip(new LayoutImagePairSerializer(), new LayoutImagePairDeserializer(),
                LayoutImagePair.newBuilder().setId("toy/0001").setDataset("toy-scenes").setLayout(LAYOUT)
                        .setPhoto(Photo.newBuilder().setData(ByteString.copyFromUtf8("jpeg")).setMediaType("image/jpeg")
                                .setWidth(64).setHeight(32))
                        .setProducedAtMs(123).build());
        assertRoundTrip(new LayoutRequestSerializer(), new LayoutRequestDeserializer(),
                LayoutRequest.newBuilder().setRequestId("r1").setLayout(LAYOUT).setNumSamples(9).setSeed(42)
                        .setHasSeed(true).addCodes(CODE)
                        .setInterpolation(Interpolation.newBuilder().setFrom(CODE).setTo(CODE).setSteps(5))
                        .setModelVersion("000003").setClientSentAtMs(99).build());
        assertRoundTrip(new SampleReplySerializer(), new SampleReplyDeserializer(),
                SampleReply.newBuilder().setSample(GeneratedSample.newBuilder().setRequestId("r1").setIndex(2)
                        .setTotal(9).setImage(ByteString.copyFromUtf8("png")).setCode(CODE).setModelVersion("v")).build());
        ErrorReply error = ErrorReply.newBuilder().setRequestId("r2").setCode(ErrorCode.LAYOUT_UNKNOWN_CLASS)
                .setMessage("colour (1,2,3) at x=4 y=5 is not in palette cityscapes").setSourceTopic(Topics.LAYOUTS_REQUESTS)
                .setSourcePartition(1).setSourceOffset(77).build();
        assertRoundTrip(new ErrorReplySerializer(), new ErrorReplyDeserializer(), error);
        assertRoundTrip(new SampleReplySerializer(), new SampleReplyDeserializer(),
                SampleReply.newBuilder().setError(error).build());
        assertRoundTrip(new DeadLetterSerializer(), new DeadLetterDeserializer(),
                DeadLetter.newBuilder().setError(error).setOriginalValue(ByteString.copyFromUtf8("garbage")).build());
        assertRoundTrip(new CheckpointEventSerializer(), new CheckpointEventDeserializer(),
                CheckpointEvent.newBuilder().setModelName("toy").setVersion("000001").setStep(500).setEpoch(1)
                        .setUri("file:///tmp/ckpt").setSha256("ab".repeat(32)).setSizeBytes(1234)
                        .putMetrics("loss", 0.25).setPreset("tiny").setWidth(64).setHeight(32).build());
    }

    @Test
    void nullMeansTombstone() {
        assertNull(new CheckpointEventSerializer().serialize(Topics.CHECKPOINTS, null));
        assertNull(new CheckpointEventDeserializer().deserialize(Topics.CHECKPOINTS, null));
    }

    @Test
    void garbageIsASerializationErrorNamingTheTopic() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        SerializationException e = assertThrows(SerializationException.class,
                () -> new LayoutRequestDeserializer().deserialize(Topics.LAYOUTS_REQUESTS, garbage));
        assertTrue(e.getMessage().contains(Topics.LAYOUTS_REQUESTS), e.getMessage());
        WireFormat.Parsed<LayoutRequest> parsed = WireFormat.parse(LayoutRequest.parser(), garbage);
        assertFalse(parsed.ok());
        assertTrue(parsed.error().startsWith("not a valid message"), parsed.error());
    }

    @Test
    void topicsAreConsistent() {
        assertEquals("layouts.requests.dlq", Topics.deadLetterOf(Topics.LAYOUTS_REQUESTS));
        assertTrue(Topics.isCompacted(Topics.CHECKPOINTS));
        assertFalse(Topics.isCompacted(Topics.SAMPLES_GENERATED));
        assertEquals(6, Topics.all().stream().distinct().count());
        assertTrue(Topics.DEFAULT_INLINE_LIMIT_BYTES < Topics.BROKER_RECORD_LIMIT_BYTES);
    }

    private static <T extends MessageLite> void assertRoundTrip(Serializer<T> ser, Deserializer<T> de, T message) {
        byte[] bytes = ser.serialize("t", message);
        assertArrayEquals(message.toByteArray(), bytes);
        T back = de.deserialize("t", bytes);
        assertEquals(message, back);
        ser.close();
        de.close();
    }
}
