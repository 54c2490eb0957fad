package io.cimle.cli;

import ai.djl.Device;
import io.cimle.core.model.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --checkpoint} and {@code --device}: the options of every command that runs a trained model. */
final class ModelOptions {
    @Option(names = "--checkpoint", required = true, description = "Checkpoint file, or a train --out directory.")
    Path checkpoint;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu|gpu (default ${DEFAULT-VALUE}).")
    String device;

    Checkpoint readCheckpoint() throws IOException {
        return CliSupport.readCheckpoint(checkpoint);
    }

    Device device() {
        return CliSupport.device(device);
    }
}
