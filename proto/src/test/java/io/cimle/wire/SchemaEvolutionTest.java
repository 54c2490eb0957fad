package io.cimle.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.wire.evolution.LayoutRequestNext;
import io.cimle.wire.evolution.LayoutRequestOld;
import io.cimle.wire.v1.LayoutRequest;
import org.junit.jupiter.api.Test;

/** Old and new producers and consumers must understand each other (fields are only added). */
class SchemaEvolutionTest {

    @Test
    void anOldMessageParsesWithTheCurrentSchema() {
        byte[] old = LayoutRequestOld.newBuilder().setRequestId("old-1").setNumSamples(4).setSeed(11)
                .setHasSeed(true).build().toByteArray();
        LayoutRequest current = new LayoutRequestDeserializer().deserialize(Topics.LAYOUTS_REQUESTS, old);
        assertEquals("old-1", current.getRequestId());
        assertEquals(4, current.getNumSamples());
        assertEquals(11, current.getSeed());
        assertTrue(current.getHasSeed());
        // Fields the old producer did not know get their defaults.
        assertEquals("", current.getModelVersion());
        assertFalse(current.hasInterpolation());
        assertEquals(0, current.getCodesCount());
    }

    @Test
    void aNewerMessageParsesAndKeepsUnknownFieldsWhenForwarded() throws Exception {
        LayoutRequestNext next = LayoutRequestNext.newBuilder().setRequestId("new-1").setNumSamples(2)
                .setModelVersion("000009").setTruncation(0.7f).addTags("demo").build();
        LayoutRequest current = new LayoutRequestDeserializer().deserialize(Topics.LAYOUTS_REQUESTS, next.toByteArray());
        assertEquals("new-1", current.getRequestId());
        assertEquals("000009", current.getModelVersion());
        // The fields this release does not know are carried along, not dropped, when re-encoded.
        LayoutRequestNext again = LayoutRequestNext.parseFrom(current.toByteArray());
        assertEquals(0.7f, again.getTruncation());
        assertEquals("demo", again.getTags(0));
    }
}
