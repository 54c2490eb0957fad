package io.cimle.generator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.Presets;
import org.junit.jupiter.api.Test;

/** The pinned-version cache: least recently used out first, and what goes out is released. */
class PinnedVersionsTest {
    private static LoadedModel model(String version) {
        return new LoadedModel(version, GeneratorNetwork.create(Presets.tiny(LabelSets.TOY_SCENES.channels()),
                Device.cpu()), ToyScenes.labelSet(), 1, 0);
    }

    @Test
    void theLeastRecentlyUsedVersionIsReleasedFirst() {
        PinnedVersions pinned = new PinnedVersions(2);
        LoadedModel a = model("a");
        LoadedModel b = model("b");
        LoadedModel c = model("c");
        pinned.put(a);
        pinned.put(b);
        assertSame(a, pinned.get("a")); // a is now the most recent
        pinned.put(c);
        assertFalse(pinned.holds("b"), "b was the least recently used");
        assertFalse(b.acquire(), "b was released: its network is closed");
        assertTrue(pinned.holds("a") && pinned.holds("c"));
        assertTrue(a.acquire(), "a is still loaded");
        a.release();
        pinned.clear();
        assertFalse(a.acquire());
        assertFalse(c.acquire());
    }
}
