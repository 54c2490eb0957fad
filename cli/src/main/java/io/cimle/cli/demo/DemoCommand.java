package io.cimle.cli.demo;

import io.cimle.cli.ImleOptions;
import io.cimle.cli.client.SampleClient;
import io.cimle.core.data.LabelSets;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.core.training.ImleConfig;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on one machine: a real broker, the trainer and generator services as processes, the
 * committed rendered streets (or toy scenes) produced to Kafka, bounded training, then a client over Kafka that writes a
 * gallery of diverse samples, interpolation, style reuse, a scene edit and the evaluation numbers.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the whole system locally and writes a gallery of diverse images to --out.",
        footer = {"", "The trainer trains until --minutes are spent."})
public final class DemoCommand implements Callable<Integer>, ImleOptions.Budgeted {
    @Option(names = "--minutes", defaultValue = "10", description = "Training budget in minutes (default ${DEFAULT-VALUE}).")
    double minutes;
    @Option(names = "--preset", defaultValue = "small", description = "tiny (16x32), small (32x64) or medium (64x128); default ${DEFAULT-VALUE}.")
    String preset;
    @Option(names = "--scenes", defaultValue = "rendered", description = "rendered (the committed Blender-rendered "
            + "streets at the preset's size: data/rendered-streets/WxH) or toy (flat-colour toy scenes, any preset) "
            + "(default ${DEFAULT-VALUE}).")
    String scenes;
    @Option(names = "--pairs", description = "Training pairs to produce (default: every pair of the rendered set, 240 "
            + "toy scenes).")
    Integer pairs;
    @Option(names = "--layouts", defaultValue = "6", description = "Held-out layouts in the gallery (default ${DEFAULT-VALUE}).")
    int layouts;
    @Option(names = "--samples", defaultValue = "12", description = "Samples per held-out layout (default ${DEFAULT-VALUE}).")
    int samples;
    @Option(names = "--out", defaultValue = "out", description = "Gallery folder (default ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--work", defaultValue = ".run/demo", description = "Broker data, object store, logs (default ${DEFAULT-VALUE}).")
    Path work;
    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port (default ${DEFAULT-VALUE}).")
    int kafkaPort;
    @Option(names = "--generator-port", defaultValue = "8080", description = "Generator's HTTP port, for the web page (default ${DEFAULT-VALUE}).")
    int generatorPort;
    @Option(names = "--trainer-port", defaultValue = "8081", description = "Trainer's HTTP port (default ${DEFAULT-VALUE}).")
    int trainerPort;
    @Option(names = "--fresh", description = "Start over: delete the broker data, store and state of earlier runs.")
    boolean fresh;
    @Option(names = "--keep-running", description = "Leave the services up after the gallery (for the web page) until Ctrl-C.")
    boolean keepRunning;
    @Option(names = "--app-dir", defaultValue = ".", description = "Repository root holding the built services (default ${DEFAULT-VALUE}).")
    Path appDir;
    @Mixin
    ImleOptions imle;

    /**
     * The demo's budget where an IMLE option is left out: small epochs (the progress bar moves), no decay
     * (the reference's epoch-5 decay is tuned for 10000-step epochs of GTA-5), until stopped.
     */
    static final ImleConfig BUDGET = ImleConfig.DEFAULT.withExamples(64).withCandidates(10)
            .withSteps(50).withSubBatch(8).withLearningRate(5e-4).withDecay(0, false).withEpochs(0);

    @Override
    public ImleConfig budget() {
        return BUDGET;
    }

    /** What the demo produced, for tests and for the summary. */
    public record Result(Path gallery, int galleryImages, String modelVersion, DemoData.Evaluation report, Path logs) {
    }

    @Override
    public Integer call() throws Exception {
        Result r = run();
        System.out.println();
        System.out.println("Gallery:         " + r.gallery().toAbsolutePath() + " (" + r.galleryImages() + " generated images)");
        System.out.println("Model version:   " + r.modelVersion());
        System.out.println("Evaluation:      " + r.report().row());
        System.out.println("Logs:            " + r.logs().toAbsolutePath());
        return 0;
    }

    /** The demo's steps, each a class of its own: state, services, data, training, the showcase. */
    public Result run() throws Exception {
        int[] size = sizeOf(preset);
        ImleConfig budget = imle.apply(BUDGET); // bad options are refused before the broker starts
        DemoServices.builtJar(appDir, "trainer-service");
        DemoServices.builtJar(appDir, "generator-service");
        DemoData data = data(size);
        DemoState state = DemoState.open(work, scenes + "/" + preset + "/" + data.training().size(), fresh);
        Path logs = work.resolve("logs");
        step("starting the Kafka broker (KRaft, data in " + work.resolve("kafka") + ")");
        try (LocalKafkaBroker broker = LocalKafkaBroker.startPersistent(work.resolve("kafka"), kafkaPort);
                LocalStack stack = new LocalStack(logs)) {
            broker.createSystemTopics(2);
            String bootstrap = broker.bootstrapServers();
            DemoServices services = DemoServices.start(stack, new DemoServices.Plan(appDir, work.resolve("store"),
                    bootstrap, data.model(), data.labels().name(), preset, data.training().size(), trainerPort,
                    generatorPort, budget));

            if (state.dataProduced()) {
                step("data set already produced (" + state.dataKey() + "): not produced again");
            } else {
                step("producing " + data.training().size() + " pairs of " + data.describe() + " to "
                        + Topics.LAYOUTS_TRAINING);
                PairProducer.produce(bootstrap, data.training(), scenes);
                state.markDataProduced();
            }
            DemoTraining training = new DemoTraining(stack, services.trainer(), work.resolve("training-history.json"));
            training.withinBudget(state, minutes, preset);
            String version = services.latestVersion();
            step("waiting for the generator to load checkpoint " + version);
            services.awaitGeneratorVersion(version);

            step("asking the generator over Kafka for samples of " + layouts + " held-out layouts");
            Result result;
            try (SampleClient client = new SampleClient(bootstrap)) {
                DemoShowcase.Model model = new DemoShowcase.Model(data.model(), version, preset, size[1], size[0],
                        budget.get(ImleConfig.NOISE).optionName(), data.training().size());
                result = new DemoShowcase(client, model, data, samples).write(out, training.history(), logs);
            }
            System.out.println("Web page:        " + services.generator().url()
                    + " (paint a layout, click a sample to keep its style)");
            if (keepRunning) {
                System.out.println("Services keep running; press Ctrl-C to stop them all.");
                Thread.currentThread().join();
            }
            step("stopping the services and the broker");
            return result;
        }
    }

    /** The demo's data: the committed rendered streets at the preset's size, or toy scenes. */
    private DemoData data(int[] size) {
        return switch (scenes) {
            case "rendered" -> DemoData.rendered(appDir.resolve("data/rendered-streets/" + size[1] + "x" + size[0]), size[1], size[0], pairs == null ? Integer.MAX_VALUE : pairs, layouts);
            case "toy" -> DemoData.Toy.of(size[1], size[0], pairs == null ? 240 : pairs, layouts);
            default -> throw new IllegalArgumentException("--scenes must be rendered or toy, got '" + scenes + "'");
        };
    }

    /** {height, width} of a preset the demo runs (the paper preset needs a GPU: see README). */
    static int[] sizeOf(String preset) {
        if (preset.equals("paper")) {
            throw new IllegalArgumentException("the demo runs tiny, small or medium, not 'paper' (the paper preset "
                    + "needs a GPU: see README)");
        }
        ModelConfig c = Presets.byName(preset, LabelSets.TOY_SCENES.channels());
        return new int[] {c.height(), c.width()};
    }

    static void step(String what) {
        System.out.println("==> " + what);
    }
}
