package io.cimle.core.training.distance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes .npz files of random weights with the right names and shapes, as a user's export would. */
public final class RandomVggWeights {
    private RandomVggWeights() {}

    /** He-scaled random conv weights for {@code specs}, torchvision names. */
    public static NDList convs(NDManager m, List<VggTrunk.ConvSpec> specs) {
        NDList list = new NDList();
        for (VggTrunk.ConvSpec s : specs) {
            float std = (float) Math.sqrt(2.0 / (9.0 * s.in()));
            NDArray w = m.randomNormal(0f, std, new Shape(s.out(), s.in(), 3, 3), DataType.FLOAT32);
            w.setName("features." + s.index() + ".weight");
            NDArray b = m.randomUniform(-0.05f, 0.05f, new Shape(s.out()));
            b.setName("features." + s.index() + ".bias");
            list.add(w);
            list.add(b);
        }
        return list;
    }

    public static void write(NDList named, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            named.encode(out, NDList.Encoding.NPZ);
        }
    }

    public static Path writeVgg19(Path dir, NDManager m) throws IOException {
        Path file = dir.resolve("vgg19_random.npz");
        write(convs(m, VggTrunk.VGG19_TO_CONV5_2), file);
        return file;
    }
}
