package io.cimle.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToyScenesTest {
    @Test
    void deterministicFromSeed() {
        ToyScenes toy = new ToyScenes(64, 32);
        assertEquals(toy.sample(42, 3), toy.sample(42, 3));
        assertNotEquals(toy.sample(42, 3).layout(), toy.sample(43, 3).layout());
        assertNotEquals(toy.sample(42, 3).layout(), toy.sample(42, 4).layout());
    }

    @Test
    void modesReadBackFromGeneratedPhotosAndManyModesOccur() {
        ToyScenes toy = new ToyScenes(64, 32);
        List<ToyScenes.Scene> scenes = toy.generate(300, 7);
        int regions = 0;
        int within = 0;
        int agree = 0;
        Set<Integer> modes = new HashSet<>();
        Set<ToyScenes.TimeOfDay> times = new HashSet<>();
        for (ToyScenes.Scene s : scenes) {
            ModeReader.Reading r = ModeReader.read(s.layout(), s.photo());
            regions += r.regions().size();
            within += (int) Math.round(r.fidelity(ModeReader.DEFAULT_THRESHOLD) * r.regions().size());
            if (r.agreesWith(s.mode())) {
                agree++;
            }
            modes.add(s.mode().index());
            times.add(s.mode().timeOfDay());
            assertTrue(s.layout().histogram()[ToyScenes.CAR] > 0, "every scene has a car");
            assertTrue(s.layout().histogram()[ToyScenes.SKY] > 0, "every scene shows sky");
        }
        System.out.printf("toy 64x32, 300 scenes: %d/%d regions within %.0f of their prototype, %d/%d modes read back, %d distinct modes%n",
                within, regions, ModeReader.DEFAULT_THRESHOLD, agree, scenes.size(), modes.size());
        assertTrue(within >= 0.95 * regions, within + " of " + regions + " regions on their prototype");
        assertTrue(agree >= 0.95 * scenes.size(), agree + " of " + scenes.size() + " modes read back");
        assertTrue(modes.size() >= 20, "modes seen: " + modes.size() + " of " + ToyScenes.modeCount());
        assertEquals(3, times.size());
    }

    @Test
    void renderingAnotherModeIsReadAsThatMode() {
        ToyScenes toy = new ToyScenes(128, 64);
        ToyScenes.Scene s = toy.sample(1, 0);
        for (int m = 0; m < ToyScenes.modeCount(); m++) {
            ToyScenes.Mode mode = ToyScenes.Mode.ofIndex(m);
            ModeReader.Reading r = ModeReader.read(s.layout(), ToyScenes.render(s.layout(), mode, m));
            assertTrue(r.agreesWith(mode), "mode " + mode + " read as " + r);
        }
        // A photo painted in off-prototype colours has low fidelity.
        RgbImage grey = RgbImage.blank(128, 64);
        assertTrue(ModeReader.read(s.layout(), grey).fidelity(ModeReader.DEFAULT_THRESHOLD) < 0.5);
    }

    @Test
    void writesPairedFoldersThatReadBack(@TempDir Path dir) throws Exception {
        List<ToyScenes.Scene> scenes = ToyScenes.writeFolders(dir, 5, 11, 32, 16);
        assertTrue(Files.exists(dir.resolve("classes.json")));
        List<String> csv = Files.readAllLines(dir.resolve("modes.csv"));
        assertEquals(6, csv.size());
        assertTrue(csv.get(1).startsWith("toy_00000," + scenes.get(0).mode().timeOfDay()));
        DatasetReader.Loaded loaded = PairedFolderDataset.open(dir, LayoutFormat.CLASS_IDS, DatasetOptions.DEFAULT).readAll();
        assertEquals(5, loaded.examples().size());
        assertTrue(loaded.report().clean());
        assertEquals(scenes.get(2).layout(), loaded.examples().get(2).layout());
        assertEquals(scenes.get(2).photo(), loaded.examples().get(2).photo());
    }
}
