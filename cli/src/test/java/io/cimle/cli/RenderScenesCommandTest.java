package io.cimle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.data.RenderedScenes;
import io.cimle.core.eval.RenderedEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The street renderer from the CLI, with Blender (`./cimle test` installs it): a held-out set that reads back
 * (pairs, instance maps, factors, every appearance render), the same seed giving the same labels, instance maps and
 * factors, a reading that recovers the renders' own factors, and `eval` on it with a tiny model.
 */
class RenderScenesCommandTest {
    @TempDir
    Path dir;

    @Test
    void rendersAHeldOutSetThatReadsBackAndEvaluates() throws Exception {
        Path held = dir.resolve("held-out");
        assertEquals(0, CimleCli.run("render-scenes", "--out", held.toString(), "-n", "2", "--size", "64x32",
                "--seed", "11", "--held-out", "--processes", "2"));
        RenderedScenes set = RenderedScenes.open(held, Integer.MAX_VALUE);
        assertEquals(2, set.scenes().size());
        for (RenderedScenes.Scene s : set.scenes()) {
            assertTrue(s.hasAppearances(), s.name());
            int[] hist = s.layout().histogram();
            assertTrue(hist[10] > 0 && hist[0] > 0, "sky and road in " + s.name() + ": " + Arrays.toString(hist));
            assertTrue(s.instances().count() > 0, "instances in " + s.name());
            for (int k = 0; k < s.instances().count(); k++) {
                int cls = s.instances().classOf()[k];
                assertTrue(cls == 13 || cls == 2, "instances are cars and buildings, got class " + cls);
            }
            for (int p = 0; p < s.layout().ids().length; p++) {
                int k = s.instances().instanceAt()[p];
                if (k >= 0) {
                    assertEquals(s.instances().classOf()[k], s.layout().ids()[p], "instance " + k + " lies on its class");
                }
            }
        }
        double truth = new RenderedEvaluation(set, RenderedEvaluation.DEFAULT_THRESHOLD).truth();
        assertTrue(truth >= 0.9, "truth " + truth);

        // The same seed again, the second scene alone: the same scene (each scene has its own seed).
        Path again = dir.resolve("again");
        assertEquals(0, CimleCli.run("render-scenes", "--out", again.toString(), "-n", "2", "--size", "64x32",
                "--seed", "11"));
        String name = set.scenes().get(1).name();
        for (String f : new String[] {"labels/" + name + ".png", "instances/" + name + ".png", "factors/" + name + ".json"}) {
            assertArrayEquals(Files.readAllBytes(held.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }

        // eval reads a rendered set: a tiny model trained on it for a few steps.
        Path runs = dir.resolve("run");
        assertEquals(0, CimleCli.run("train", "--data", again.toString(), "--out", runs.toString(), "--preset", "small",
                "--epochs", "1", "--steps", "2", "--examples", "2", "--candidates", "2", "--no-dataset-rebalancing",
                "--no-loss-rebalancing"));
        String out = CimleCliTest.captureOut(() -> assertEquals(0, CimleCli.run("eval", "--checkpoint", runs.toString(), "--data",
                held.toString(), "--samples", "3")));
        assertTrue(out.contains("one light per sample") && out.contains("| small IMLE epoch"), out);
    }
}
