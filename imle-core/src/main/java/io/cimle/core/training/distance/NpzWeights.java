package io.cimle.core.training.distance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Named tensors read from a NumPy {@code .npz} archive (as written by {@code numpy.savez}) with
 * DJL's own npz decoder. Lookups check the shape and name the key, the expected and the actual
 * shape on mismatch, so a wrongly exported file fails at load time with a readable message.
 */
public final class NpzWeights {
    private final Path file;
    private final String role;
    private final Map<String, NDArray> byName;

    private NpzWeights(Path file, String role, Map<String, NDArray> byName) {
        this.file = file;
        this.role = role;
        this.byName = byName;
    }

    /**
     * Reads every tensor of {@code file} into {@code manager}.
     *
     * @param role what the file is for, used in error messages (e.g. "VGG-19 weights")
     */
    public static NpzWeights load(Path file, String role, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(role + " file " + file.toAbsolutePath() + " does not exist");
        }
        NDList list;
        try (InputStream in = Files.newInputStream(file)) {
            list = NDList.decode(manager, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + role + " file " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(role + " file " + file + " is not a readable .npz archive: "
                    + e.getMessage(), e);
        }
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (NDArray a : list) {
            if (a.getName() != null) {
                byName.put(a.getName(), a);
            }
        }
        return new NpzWeights(file, role, byName);
    }

    /**
     * The float32 tensor called {@code key}, which must have shape {@code expected}.
     *
     * @throws IllegalArgumentException naming the key, the expected and the actual shape
     */
    public NDArray require(String key, Shape expected) {
        NDArray a = byName.get(key);
        if (a == null) {
            throw new IllegalArgumentException(role + " file " + file + " lacks tensor '" + key + "' (expected shape "
                    + expected + "); it holds " + new TreeSet<>(byName.keySet()));
        }
        if (!a.getShape().equals(expected)) {
            throw new IllegalArgumentException(role + " file " + file + ": tensor '" + key + "' has shape "
                    + a.getShape() + ", expected " + expected);
        }
        return a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
    }

    public boolean contains(String key) {
        return byName.containsKey(key);
    }

    public Path file() {
        return file;
    }
}
