package io.cimle.cli;

import ai.djl.Device;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.Sampler;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --checkpoint} and {@code --device}: the options of every command that runs a trained model. */
final class ModelOptions {
    @Option(names = "--checkpoint", required = true, description = "Checkpoint file, or a train --out directory.")
    Path checkpoint;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu|gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--no-code-bank", description = "Draw the Gaussian codes as they are, even where the checkpoint "
            + "keeps the codes training matched (a code bank, README \"The method, in short\"): to compare the two.")
    boolean noCodeBank;

    Checkpoint readCheckpoint() throws IOException {
        return CliSupport.readCheckpoint(checkpoint);
    }

    /** The checkpoint's model as these options ask: on their device, with its code bank unless told not to. */
    Sampler sampler(Checkpoint checkpoint, int maxBatch) {
        Sampler sampler = Sampler.fromCheckpoint(checkpoint, device(), maxBatch);
        return noCodeBank ? sampler.withoutBank() : sampler;
    }

    Device device() {
        return CliSupport.device(device);
    }
}
