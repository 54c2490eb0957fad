package io.cimle.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.cimle.cli.ImleOptions;
import io.cimle.cli.client.SampleClient;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Images;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.ModeReader;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.ToyScenes.Mode;
import io.cimle.core.data.ToyScenes.Scene;
import io.cimle.core.data.ToyScenes;
import io.cimle.core.eval.EvalReport;
import io.cimle.core.eval.MeanAbsPixelMetric;
import io.cimle.core.eval.ModeCoverage;
import io.cimle.core.eval.PairwiseDiversity;
import io.cimle.core.eval.ToyEvaluation;
import io.cimle.core.eval.ToyModeData;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.core.training.ImleConfig;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.Interpolation;
import io.cimle.wire.v1.LatentCode;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.Photo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on one machine: a real broker, the trainer and generator services as processes, a
 * toy-scenes data set produced to Kafka, bounded training, then a client over Kafka that writes a
 * gallery of diverse samples, interpolation, style reuse, a scene edit and the evaluation numbers.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the whole system locally and writes a gallery of diverse images to --out.",
        footer = {"", "The trainer trains until --minutes are spent."})
public final class DemoCommand implements Callable<Integer>, ImleOptions.Budgeted {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "toy";

    @Option(names = "--minutes", defaultValue = "10", description = "Training budget in minutes (default ${DEFAULT-VALUE}).")
    double minutes;
    @Option(names = "--preset", defaultValue = "small", description = "tiny (16x32), small (32x64) or medium (64x128); default ${DEFAULT-VALUE}.")
    String preset;
    @Option(names = "--pairs", defaultValue = "240", description = "Training pairs to produce (default ${DEFAULT-VALUE}).")
    int pairs;
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
    public record Result(Path gallery, int galleryImages, String modelVersion, EvalReport report, Path logs) {
    }

    @Override
    public Integer call() throws Exception {
        Result r = run();
        System.out.println();
        System.out.println("Gallery:         " + r.gallery().toAbsolutePath() + " (" + r.galleryImages() + " generated images)");
        System.out.println("Model version:   " + r.modelVersion());
        System.out.println("Evaluation:      " + r.report().markdownRow());
        System.out.println("Logs:            " + r.logs().toAbsolutePath());
        return 0;
    }

    /** The demo's steps; each is a method below. */
    public Result run() throws Exception {
        DemoState state = openState();
        int[] size = sizeOf(preset);
        ImleConfig budget = imle.apply(BUDGET); // bad options are refused before the broker starts
        List<Mode> modes = demoModes();
        Path trainerJar = builtJar("trainer-service");
        Path generatorJar = builtJar("generator-service");
        Path logs = work.resolve("logs");
        step("starting the Kafka broker (KRaft, data in " + work.resolve("kafka") + ")");
        try (LocalKafkaBroker broker = LocalKafkaBroker.startPersistent(work.resolve("kafka"), kafkaPort);
                LocalStack stack = new LocalStack(logs)) {
            broker.createSystemTopics(2);
            String bootstrap = broker.bootstrapServers();
            String store = work.resolve("store").toAbsolutePath().toString();
            LocalStack.Service trainer = stack.startJava("trainer-service",
                    trainerArguments(bootstrap, store, budget, trainerJar), Map.of(), trainerPort);
            LocalStack.Service generator = stack.startJava("generator-service", List.of(
                    "-Dquarkus.http.port=" + generatorPort, "-Dkafka.bootstrap.servers=" + bootstrap,
                    "-Dcimle.storage.root=" + store, "-Dcimle.model.name=" + MODEL,
                    "-jar", generatorJar.toAbsolutePath().toString()), Map.of(), generatorPort);
            step("starting trainer-service (log " + trainer.log() + ") and generator-service (log " + generator.log() + ")");
            stack.awaitHttp(trainer, "/q/health/live", Duration.ofMinutes(3));
            stack.awaitHttp(generator, "/q/health/live", Duration.ofMinutes(3));

            produceDataOnce(state, bootstrap, size, modes);
            trainWithinBudget(state, stack, trainer);
            String version = latestVersion(stack, trainer);
            step("waiting for the generator to load checkpoint " + version);
            awaitGeneratorVersion(stack, generator, version);

            step("asking the generator over Kafka for samples of " + layouts + " held-out layouts");
            Result result;
            try (SampleClient client = new SampleClient(bootstrap)) {
                result = gallery(client, version, size, modes, logs);
            }
            System.out.println("Web page:        " + generator.url() + " (paint a layout, click a sample to keep its style)");
            if (keepRunning) {
                System.out.println("Services keep running; press Ctrl-C to stop them all.");
                Thread.currentThread().join();
            }
            step("stopping the services and the broker");
            return result;
        }
    }

    /** What earlier runs left in the work folder (data produced, seconds trained), so a rerun redoes nothing. */
    private record DemoState(Path file, ObjectNode node, String dataKey) {
        void save() throws IOException {
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
        }
    }

    private DemoState openState() throws IOException {
        if (fresh) {
            deleteRecursively(work);
        }
        Files.createDirectories(work);
        Path file = work.resolve("state.json");
        ObjectNode node = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
        String dataKey = preset + "/" + pairs;
        if (node.has("data") && !node.get("data").asText().equals(dataKey)) {
            throw new IllegalArgumentException("the work folder " + work + " holds a run with " + node.get("data").asText()
                    + " (preset/pairs); use --fresh to start over with " + dataKey);
        }
        return new DemoState(file, node, dataKey);
    }

    private Path builtJar(String service) {
        Path jar = appDir.resolve(service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalArgumentException(jar + " is missing: build with ./mvnw install -DskipTests (./cimle does it)");
        }
        return jar;
    }

    /** trainer-service with the demo's budget, as configuration (the service's own keys). */
    private List<String> trainerArguments(String bootstrap, String store, ImleConfig budget, Path jar) {
        List<String> args = new ArrayList<>(List.of(
                "-Dquarkus.http.port=" + trainerPort, "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dcimle.storage.root=" + store, "-Dcimle.model.name=" + MODEL, "-Dcimle.trainer.preset=" + preset,
                "-Dcimle.trainer.min-dataset-size=" + Math.min(pairs, 32),
                "-Dcimle.trainer.auto-start=false",
                "-Dcimle.trainer.checkpoint-every-steps=" + budget.steps() * 10));
        budget.asProperties("cimle.trainer.imle.").forEach((key, value) -> args.add("-D" + key + "=" + value));
        args.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        return args;
    }

    private void produceDataOnce(DemoState state, String bootstrap, int[] size, List<Mode> modes) throws Exception {
        if (state.node().has("data")) {
            step("data set already produced (" + state.dataKey() + "): not produced again");
            return;
        }
        step("producing " + pairs + " toy-scene pairs to " + Topics.LAYOUTS_TRAINING);
        produce(bootstrap, ToyModeData.scenes(size[1], size[0], pairs, 1, modes));
        state.node().put("data", state.dataKey());
        state.save();
    }

    private void trainWithinBudget(DemoState state, LocalStack stack, LocalStack.Service trainer) throws Exception {
        double trainedSeconds = state.node().path("trainedSeconds").asDouble(0);
        double secondsLeft = minutes * 60 - trainedSeconds;
        if (secondsLeft <= 1) {
            step(String.format(Locale.ROOT, "already trained %.0f s of the %.0f s budget: not trained again "
                    + "(raise --minutes to train more, --fresh to start over)", trainedSeconds, minutes * 60));
            return;
        }
        trainedSeconds += train(stack, trainer, secondsLeft, minutes * 60);
        state.node().put("trainedSeconds", trainedSeconds);
        state.save();
    }

    /** Trains for {@code seconds} (of a {@code total} budget), drawing a progress bar; returns seconds trained. */
    private double train(LocalStack stack, LocalStack.Service trainer, double seconds, double total) throws Exception {
        step(String.format(Locale.ROOT, "training %s for %.1f minutes (progress from %s)", preset, seconds / 60,
                trainer.url() + "api/trainer/status"));
        stack.post(trainer, "/api/trainer/start");
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        ProgressLine bar = new ProgressLine(System.console() != null);
        TrainingHistory history = history();
        long lastPoint = 0;
        while (System.nanoTime() < deadline) {
            JsonNode s = JSON.readTree(stack.get(trainer, "/api/trainer/status"));
            if (System.nanoTime() - lastPoint > 5e9 && s.path("loss").isNumber()) {
                lastPoint = System.nanoTime();
                history.add(s.path("globalStep").asLong(), s.path("loss").asDouble(), codeSpread(stack, trainer), Double.NaN);
            }
            if ("FAILED".equals(s.path("phase").asText())) {
                throw new IllegalStateException("training failed: " + s.path("failure").asText() + " (see " + trainer.log() + ")");
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            bar.show(elapsed / seconds, String.format(Locale.ROOT, "%-16s epoch %d step %d loss %s pairs %d  %s left",
                    s.path("phase").asText(), s.path("epoch").asInt(), s.path("globalStep").asLong(),
                    s.path("loss").isNumber() ? String.format(Locale.ROOT, "%.3f", s.path("loss").asDouble()) : "-",
                    s.path("datasetSize").asLong(), clock(seconds - elapsed)));
            Thread.sleep(1000);
        }
        bar.done();
        history.save();
        step("pausing training and writing a checkpoint of it");
        JsonNode after = JSON.readTree(stack.post(trainer, "/api/trainer/pause?checkpoint=true"));
        step("trained to epoch " + after.path("epoch").asInt() + ", step " + after.path("globalStep").asLong()
                + ", checkpoint " + after.path("version").asText());
        return (System.nanoTime() - start) / 1e9;
    }

    private TrainingHistory history() throws IOException {
        return new TrainingHistory(work.resolve("training-history.json"));
    }

    /** The trainer's code spread at the last epoch's end (its metric), NaN before the first. */
    private static double codeSpread(LocalStack stack, LocalStack.Service trainer) {
        try {
            for (String line : stack.get(trainer, "/q/metrics").split("\n")) {
                if (line.startsWith("cimle_trainer_code_spread ")) {
                    double v = Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
                    return v > 0 ? v : Double.NaN;
                }
            }
        } catch (Exception e) {
            // no figure this time
        }
        return Double.NaN;
    }

    private String latestVersion(LocalStack stack, LocalStack.Service trainer) throws Exception {
        String v = JSON.readTree(stack.get(trainer, "/api/trainer/status")).path("version").asText();
        if (v.isEmpty()) {
            // A rerun: the trainer has not written a checkpoint in this process, the store has one.
            Path latest = work.resolve("store/models/" + MODEL + "/LATEST");
            if (Files.exists(latest)) {
                v = JSON.readTree(latest.toFile()).path("version").asText();
            }
        }
        if (v.isEmpty()) {
            throw new IllegalStateException("no checkpoint was written: train longer (--minutes)");
        }
        return v;
    }

    private void awaitGeneratorVersion(LocalStack stack, LocalStack.Service generator, String version) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode m = JSON.readTree(stack.get(generator, "/api/model"));
            if (m.path("version").asText().compareTo(version) >= 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the generator did not load " + version + " in time (see " + generator.log() + ")");
    }

    private Result gallery(SampleClient client, String version, int[] size, List<Mode> modes, Path logs) throws Exception {
        LabelSet labels = ToyScenes.labelSet();
        Gallery g = new Gallery(out, labels);
        List<Scene> heldOut = ToyModeData.scenes(size[1], size[0], layouts, 424242, modes);
        List<ClassMap> maps = new ArrayList<>();
        List<List<RgbImage>> all = new ArrayList<>();
        List<List<GeneratedSample>> replies = new ArrayList<>();
        g.section("Many samples per layout");
        g.paragraph("Each row: a held-out layout (never trained on), the real photo drawn with it, then "
                + samples + " samples the generator returned for one request over Kafka. The toy data set has "
                + modes.size() + " appearance modes (time of day x car colour); a layout admits all of them.");
        for (int i = 0; i < heldOut.size(); i++) {
            Scene scene = heldOut.get(i);
            SampleClient.Answer a = ask(client, request("demo-" + version + "-layout-" + i, scene.layout())
                    .setNumSamples(samples).setSeed(1000 + i).setHasSeed(true).build());
            List<RgbImage> images = decode(a.samples());
            g.samplesRow(String.format("layout-%02d", i), scene.layout(), scene.photo(), images);
            maps.add(scene.layout());
            all.add(images);
            replies.add(a.samples());
        }

        // Interpolation between the two most different samples of the first layout.
        List<GeneratedSample> first = replies.get(0);
        int[] pair = mostDifferent(all.get(0));
        SampleClient.Answer interp = ask(client, request("demo-" + version + "-interpolation", maps.get(0))
                .setInterpolation(Interpolation.newBuilder().setFrom(first.get(pair[0]).getCode())
                        .setTo(first.get(pair[1]).getCode()).setSteps(9).setMethod("slerp")).build());
        g.strip("interpolation.png", "Interpolation between two codes",
                "Nine frames from sample " + pair[0] + " to sample " + pair[1] + " of layout-00 (slerp between their latent codes).",
                decode(interp.samples()));

        // One code (style) applied to every held-out layout.
        LatentCode style = first.get(pair[1]).getCode();
        List<RgbImage> styled = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            styled.addAll(decode(ask(client, request("demo-" + version + "-style-" + i, maps.get(i)).addCodes(style).build()).samples()));
        }
        g.strip("same-style.png", "One latent code, several layouts",
                "The code of sample " + pair[1] + " of layout-00 applied to each held-out layout: the same style on different scenes.",
                styled);

        // Scene edit: change the layout, keep the code.
        ClassMap edited = edit(maps.get(0));
        List<RgbImage> edit = new ArrayList<>();
        edit.add(LayoutEncoder.colourImage(maps.get(0), labels));
        edit.add(decode(ask(client, request("demo-" + version + "-edit-before", maps.get(0)).addCodes(style).build()).samples()).get(0));
        edit.add(LayoutEncoder.colourImage(edited, labels));
        edit.add(decode(ask(client, request("demo-" + version + "-edit-after", edited).addCodes(style).build()).samples()).get(0));
        g.strip("scene-edit.png", "Scene editing", "Layout, its sample; the edited layout (a building block becomes "
                + "vegetation, the car moves), the sample with the same code: the edit changes the scene, not its style.", edit);

        EvalReport report = evaluate(maps, all, modes);
        g.evaluation(List.of(report));
        TrainingHistory history = history();
        history.add(history.lastStep(), Double.NaN, Double.NaN, Math.min(report.minFactorCoverage(),
                report.minInstanceCoverage()));
        history.save();
        history.draw("Training: loss, code spread and coverage", out.resolve("training.png"));
        g.figure("Training", "training.png", "The loss and the code spread as trainer-service reported them while it "
                + "trained (over every run of the demo), and the least covered factor the evaluation below measured "
                + "at the end: a falling loss with coverage still rising says train longer (--minutes).");
        Path index = g.write("cimle demo: diverse images from semantic layouts",
                "Model " + MODEL + " version " + version + " (" + preset + ", " + size[1] + "x" + size[0]
                        + ", noise " + imle.apply(BUDGET).get(ImleConfig.NOISE).optionName() + "), trained by trainer-service on " + pairs + " toy-scene pairs produced to Kafka; every image "
                        + "below was generated by generator-service and received over Kafka.");
        Files.writeString(out.resolve("evaluation.md"), report.markdown());
        return new Result(index, g.imageCount(), version, report, logs);
    }

    /** Diversity as mean absolute pixel difference (LPIPS needs ImageNet weights a user supplies; see README). */
    private EvalReport evaluate(List<ClassMap> maps, List<List<RgbImage>> samples, List<Mode> modes) {
        return ToyEvaluation.evaluate("IMLE (generator-service)", maps, samples,
                new ModeCoverage(new HashSet<>(modes), ModeReader.DEFAULT_THRESHOLD),
                new PairwiseDiversity(new MeanAbsPixelMetric(), PairwiseDiversity.DEFAULT_PAIRS), 7);
    }

    private static int[] mostDifferent(List<RgbImage> images) {
        int[] best = {0, Math.min(1, images.size() - 1)};
        double max = -1;
        for (int a = 0; a < images.size(); a++) {
            for (int b = a + 1; b < images.size(); b++) {
                double d = images.get(a).meanAbsDifference(images.get(b));
                if (d > max) {
                    max = d;
                    best = new int[] {a, b};
                }
            }
        }
        return best;
    }

    /** Turns the upper-left building block into vegetation and moves the car, if any, to the right. */
    static ClassMap edit(ClassMap map) {
        int[] ids = map.ids().clone();
        int w = map.width();
        int h = map.height();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w / 3; x++) {
                if (ids[y * w + x] == ToyScenes.BUILDING) {
                    ids[y * w + x] = ToyScenes.VEGETATION;
                }
            }
        }
        int shift = w / 4;
        int[] moved = ids.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ids[y * w + x] == ToyScenes.CAR) {
                    moved[y * w + x] = ToyScenes.ROAD;
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ids[y * w + x] == ToyScenes.CAR && x + shift < w) {
                    moved[y * w + x + shift] = ToyScenes.CAR;
                }
            }
        }
        return new ClassMap(w, h, map.channels(), moved);
    }

    private static SampleClient.Answer ask(SampleClient client, LayoutRequest r) throws TimeoutException {
        SampleClient.Answer a = client.request(r, Duration.ofMinutes(3));
        if (!a.ok()) {
            throw new IllegalStateException("the generator refused " + r.getRequestId() + ": " + a.error().getCode() + " "
                    + a.error().getMessage());
        }
        return a;
    }

    private static LayoutRequest.Builder request(String id, ClassMap map) {
        return LayoutRequest.newBuilder().setRequestId(id).setClientSentAtMs(System.currentTimeMillis())
                .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                        .setPng(ByteString.copyFrom(LayoutEncoder.classIdsPng(map))).setWidth(map.width()).setHeight(map.height()));
    }

    private static List<RgbImage> decode(List<GeneratedSample> samples) {
        return samples.stream().map(s -> Images.decode(s.getImage().toByteArray())).toList();
    }

    private static void produce(String bootstrap, List<Scene> scenes) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            ProgressLine bar = new ProgressLine(System.console() != null);
            for (int i = 0; i < scenes.size(); i++) {
                Scene s = scenes.get(i);
                LayoutImagePair pair = LayoutImagePair.newBuilder().setId("toy/" + s.id()).setDataset("toy-scenes")
                        .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                                .setPng(ByteString.copyFrom(LayoutEncoder.classIdsPng(s.layout()))))
                        .setPhoto(Photo.newBuilder().setData(ByteString.copyFrom(Images.encodePng(s.photo())))
                                .setMediaType("image/png"))
                        .setProducedAtMs(System.currentTimeMillis()).build();
                producer.send(new ProducerRecord<>(Topics.LAYOUTS_TRAINING, pair.getId(), pair.toByteArray()));
                bar.show((i + 1.0) / scenes.size(), (i + 1) + "/" + scenes.size() + " pairs");
            }
            producer.flush();
            bar.done();
        }
    }

    /** The modes of the demo's data: three times of day x two car colours (red, white). */
    static List<Mode> demoModes() {
        return ToyModeData.timesOfDay(0, 1);
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

    private static void step(String what) {
        System.out.println("==> " + what);
    }

    private static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
