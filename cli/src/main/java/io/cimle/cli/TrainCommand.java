package io.cimle.cli;

import ai.djl.Device;
import io.cimle.core.data.DatasetOptions;
import io.cimle.core.data.DatasetReader;
import io.cimle.core.data.Example;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.PairedFolderDataset;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.CodeParts;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.training.CheckpointPolicy;
import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.ImleTrainer;
import io.cimle.core.training.ProgressReporter;
import io.cimle.core.training.TrainingListener;
import io.cimle.core.training.TrainingProgress;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.DistanceConfig;
import io.cimle.core.training.distance.Distances;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains a generator with Conditional IMLE (or a baseline) on a paired-folders data set,"
                + " publishing checkpoints under --out.",
        footer = {"", "With --resume, settings left out are the run's own."})
final class TrainCommand implements Callable<Integer>, ImleOptions.Budgeted {
    @Option(names = "--data", required = true, description = "Paired-folders data set (labels/, images/, optional "
            + "instances/, and classes.json unless --labels names the label set).")
    Path data;
    @Option(names = "--no-instance-maps", description = "Ignore the data set's instances/ maps: objects are the "
            + "connected components of each class (two touching cars one look).")
    boolean noInstanceMaps;
    @Option(names = "--labels", description = "Label set by name (cityscapes: train ids 0..18, toy-scenes) instead "
            + "of the data set's classes.json, as the services' cimle.model.labels.")
    String labels;
    @Option(names = "--out", required = true, description = "Directory for checkpoints.")
    Path out;
    @Option(names = "--preset", defaultValue = "small", description = "tiny|small|medium|paper (default ${DEFAULT-VALUE}).")
    String preset;
    @Mixin
    ImleOptions imle;
    @Option(names = "--vgg-weights", description = "VGG-19 .npz for the perceptual distance (default: pyramid L1).")
    Path vggWeights;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu|gpu (default ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--resume", description = "Continue from the newest checkpoint under --out.")
    boolean resume;
    @Option(names = "--checkpoint-every", defaultValue = "1000",
            description = "Checkpoint every N steps and at each epoch end (default ${DEFAULT-VALUE}).")
    long checkpointEvery;
    @Option(names = "--min-code-spread", defaultValue = "0.01", description = "Stop (exit 1) once an IMLE model's "
            + "samples of one layout differ by less than this fraction of the pixel range (0 turns the spread check "
            + "off; default ${DEFAULT-VALUE}). The health check also stops a run whose weights no longer move or whose "
            + "loss keeps climbing.")
    double minCodeSpread;
    @Option(names = "--no-health-check", description = "Never stop on the per-epoch health check (code spread, "
            + "weights moving, loss climbing); its measurements are still taken.")
    boolean noHealthCheck;
    @Option(names = "--log-every", defaultValue = "100", description = "Progress line every N steps (default ${DEFAULT-VALUE}).")
    int logEvery;

    record Result(TrainingProgress progress, CheckpointInfo lastCheckpoint, int examples) {
    }

    @Override
    public Integer call() throws Exception {
        Result r = run();
        System.out.printf("trained to epoch %d, step %d; last checkpoint %s%n", r.progress().epoch(),
                r.progress().globalStep(), r.lastCheckpoint() == null ? "none" : r.lastCheckpoint().uri());
        return 0;
    }

    Result run() throws Exception {
        Device dev = CliSupport.device(device);
        imleConfig(ImleConfig.DEFAULT); // refuses bad IMLE options before any data is read
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("data directory " + data + " does not exist");
        }
        LabelSet labelSet = labels != null ? LabelSets.byName(labels)
                : PairedFolderDataset.open(data, LayoutFormat.CLASS_IDS, DatasetOptions.DEFAULT).labelSet();
        ModelConfig model = Presets.byName(preset, labelSet.channels());
        DatasetReader.Loaded loaded = new PairedFolderDataset(data, labelSet, LayoutFormat.CLASS_IDS,
                DatasetOptions.DEFAULT.withTarget(model.width(), model.height()).withInstanceMaps(!noInstanceMaps))
                .readAll();
        List<Example> train = loaded.examples();
        if (train.isEmpty()) {
            throw new IllegalArgumentException("data set " + data + " has no readable pairs");
        }
        Files.createDirectories(out);
        CheckpointStore store = CliSupport.store(out);
        CheckpointInfo[] last = new CheckpointInfo[1];
        try (Distance distance = Distances.create(vggWeights == null ? DistanceConfig.defaults()
                : DistanceConfig.vgg19(vggWeights.toString(), "gta5"), dev)) {
            Optional<CheckpointInfo> latest = resume ? store.latest(CliSupport.MODEL_NAME) : Optional.empty();
            if (resume && latest.isEmpty()) {
                throw new IllegalArgumentException("--resume: no checkpoint under " + out);
            }
            Checkpoint from = latest.isPresent()
                    ? Checkpoint.readFrom(new ByteArrayInputStream(store.read(latest.get()))) : null;
            ImleConfig config = imleConfig(from == null ? ImleConfig.DEFAULT : ImleTrainer.configOf(from));
            try (GeneratorNetwork network = from == null
                    ? GeneratorNetwork.create(CodeParts.fitToData(config.codeForm(model), train), dev, config.seed())
                         : GeneratorNetwork.create(from.config(), dev);
                 // Flags given now override a resumed run's own config; the rest continues as it was.
                 ImleTrainer t = from == null ? new ImleTrainer(network, distance, train, null, config)
                         : ImleTrainer.resume(from, network, distance, train, config)) {
                t.addMetadata(Map.of(Checkpoint.LABEL_SET_KEY, labelSet.toJson()));
                t.addListener(ProgressReporter.forConsole(System.out, logEvery));
                t.setMinCodeSpread(minCodeSpread).setHealthCheck(!noHealthCheck)
                        .addListener(TrainingListener.stopWhenUnhealthy());
                t.checkpointTo((cp, p) -> {
                    last[0] = store.publish(new CheckpointStore.Publication(CliSupport.MODEL_NAME, p.globalStep(),
                            p.epoch(), Map.of(), preset, model.width(), model.height()), cp.toBytes());
                    return last[0].uri();
                }, CheckpointPolicy.everySteps(checkpointEvery));
                return new Result(t.train(), last[0], train.size());
            }
        }
    }

    ImleConfig imleConfig(ImleConfig base) {
        return imle.apply(base);
    }

    /** A new run starts from the defaults where users start: the best measured method, the reference's budget. */
    @Override
    public ImleConfig budget() {
        return ImleConfig.DEFAULT;
    }
}
