package io.cimle.core.eval.metrics;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A frozen TorchScript network a user exported (scripts/export-metric-networks.py): one tensor in,
 * one tensor out, run by DJL's libtorch. Its SHA-256 travels with every number it produces, so a
 * metric says which weights made it.
 */
public final class TorchScriptNetwork implements AutoCloseable {
    private final Model model;
    private final Path file;
    private final String sha256;

    private TorchScriptNetwork(Model model, Path file, String sha256) {
        this.model = model;
        this.file = file;
        this.sha256 = sha256;
    }

    /**
     * @param role what the network is for, in error messages ("Inception (FID/KID)")
     * @throws IllegalArgumentException when the file is missing or not TorchScript
     */
    public static TorchScriptNetwork load(Path file, String role, Device device) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(role + " network " + file.toAbsolutePath() + " does not exist "
                    + "(export it with scripts/export-metric-networks.py)");
        }
        Path absolute = file.toAbsolutePath();
        Model model = Model.newInstance(role, device, "PyTorch");
        try {
            model.load(absolute.getParent(), absolute.getFileName().toString());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalArgumentException(role + " network " + file + " is not a loadable TorchScript file: "
                    + e.getMessage(), e);
        }
        return new TorchScriptNetwork(model, file, ContentHash.ofFile(file));
    }

    /** The output for {@code x}, attached to {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        NDList out = model.getBlock().forward(new ParameterStore(x.getManager(), false), new NDList(x), false);
        NDArray y = out.singletonOrThrow();
        y.attach(x.getManager());
        return y;
    }

    public Device device() {
        return model.getNDManager().getDevice();
    }

    public Path file() {
        return file;
    }

    public String sha256() {
        return sha256;
    }

    /** "inception.torchscript (sha256 8d55cd3dcdad...)": which weights made a number. */
    public String provenance() {
        return file.getFileName() + " (sha256 " + sha256.substring(0, 12) + ")";
    }

    @Override
    public void close() {
        model.close();
    }
}
