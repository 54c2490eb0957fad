package io.cimle.cli.ingest;

import io.cimle.cli.client.Producers;
import io.cimle.cli.demo.ProgressLine;
import io.cimle.core.data.BadPairPolicy;
import io.cimle.core.data.DatasetException;
import io.cimle.core.data.DatasetOptions;
import io.cimle.core.data.DatasetReader;
import io.cimle.core.data.DatasetReport;
import io.cimle.core.data.Example;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.LayoutImagePair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cimle ingest}: streams a data set on disk to {@code layouts.training}, one {@link LayoutImagePair}
 * per pair keyed by {@code <dataset>/<pair name>}, resized to the model's size. Pairs are listed first,
 * then read, encoded and produced one at a time, so memory does not grow with the data set.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Produces a data set's (layout, photo) pairs to Kafka for the trainer, resized to a preset's size.")
public final class IngestCommand implements Callable<Integer> {
    /**
     * Default largest record (key + value): below Kafka's 1 MiB default max.message.bytes with room
     * for the batch and record headers.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;

    @Option(names = "--format", required = true, description = "cityscapes, gta5, bdd100k or folders.")
    String format;
    @Option(names = "--root", required = true, description = "Root folder of the data set.")
    Path root;
    @Option(names = "--split", defaultValue = "train", description = "Split for cityscapes and bdd100k (default ${DEFAULT-VALUE}).")
    String split;

    @ArgGroup(exclusive = true)
    Size size = new Size();

    static final class Size {
        @Option(names = "--preset", description = "Resize to this model preset's size: tiny, small, medium, paper (default paper: 512x256, which serves every preset).")
        String preset;
        @Option(names = "--size", description = "Resize to WIDTHxHEIGHT instead of a preset's size.")
        String size;
    }

    @Option(names = "--topic", defaultValue = Topics.LAYOUTS_TRAINING, description = "Topic (default ${DEFAULT-VALUE}).")
    String topic;
    @Option(names = "--bootstrap", defaultValue = "localhost:9092", description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
    String bootstrap;
    @Option(names = "--dataset", description = "Dataset name in records and ids (default: the format, or the folder's name for folders).")
    String dataset;
    @Option(names = "--limit", defaultValue = "0", description = "Produce at most N pairs (0 = all).")
    int limit;
    @Option(names = "--bad-pairs", defaultValue = "skip", description = "skip (report and go on) or fail (default ${DEFAULT-VALUE}).")
    String badPairs;
    @Option(names = "--no-instance-maps", description = "Send layouts without their instance maps (Cityscapes' "
            + "instanceIds, a paired folder's instances/), so the trainer's objects are connected components.")
    boolean noInstanceMaps;
    @Option(names = "--photo-format", defaultValue = "png", description = "png or jpeg (smaller records) (default ${DEFAULT-VALUE}).")
    String photoFormat;
    @Option(names = "--layout-format", defaultValue = "class-ids", description = "For folders: class-ids or colors (default ${DEFAULT-VALUE}).")
    String layoutFormat;
    @Option(names = "--max-record-bytes", defaultValue = "" + DEFAULT_MAX_RECORD_BYTES, hidden = true)
    int maxRecordBytes;

    /** A pair that was not produced, with why. */
    public record Skipped(String name, String problem, String detail) {
        @Override
        public String toString() {
            return name + ": " + problem + " (" + detail + ")";
        }
    }

    /** What a run did: pairs listed (complete or not), produced (acknowledged), skipped, and bytes sent. */
    public record Result(String dataset, String topic, int width, int height, int listed, int produced, long bytes,
                         List<Skipped> skipped) {
        public Result {
            skipped = List.copyOf(skipped);
        }
    }

    @Override
    public Integer call() {
        Result r = run();
        System.out.printf(Locale.ROOT, "ingest: produced %d of %d pairs of '%s' at %dx%d to %s (%s)%n", r.produced(),
                r.listed(), r.dataset(), r.width(), r.height(), r.topic(), megabytes(r.bytes()));
        if (!r.skipped().isEmpty()) {
            System.out.printf("ingest: skipped %d:%n", r.skipped().size());
            r.skipped().forEach(s -> System.out.println("  " + s));
        }
        return 0;
    }

    public Result run() {
        IngestFormat fmt = choice(IngestFormat.class, format, "--format");
        BadPairPolicy policy = choice(BadPairPolicy.class, badPairs, "--bad-pairs");
        PairEncoder.PhotoFormat photos = choice(PairEncoder.PhotoFormat.class, photoFormat, "--photo-format");
        LayoutFormat folderLayouts = switch (layoutFormat.toLowerCase(Locale.ROOT)) {
            case "class-ids", "ids" -> LayoutFormat.CLASS_IDS;
            case "colors", "colours" -> LayoutFormat.COLORS;
            default -> throw new IllegalArgumentException("--layout-format must be class-ids or colors, got '" + layoutFormat + "'");
        };
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be >= 0, got " + limit);
        }
        if (maxRecordBytes < 1024 || maxRecordBytes > Topics.BROKER_RECORD_LIMIT_BYTES - 1024) {
            throw new IllegalArgumentException("--max-record-bytes must be in [1024, "
                    + (Topics.BROKER_RECORD_LIMIT_BYTES - 1024) + "], got " + maxRecordBytes);
        }
        int[] wh = targetSize();
        DatasetOptions options = DatasetOptions.DEFAULT.withTarget(wh[0], wh[1]).withBadPairs(policy)
                .withInstanceMaps(!noInstanceMaps);
        DatasetReader reader = fmt.open(root, split, folderLayouts, options);
        String name = dataset != null ? dataset : fmt.defaultDatasetName(root);
        if (name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException("--dataset must be a non-empty name without '/', got '" + name + "'");
        }
        PairEncoder encoder = new PairEncoder(name, photos);

        DatasetReader.Listing listing = reader.list();
        List<Skipped> skipped = new ArrayList<>();
        for (DatasetReport.Skipped s : listing.unpaired()) {
            if (policy == BadPairPolicy.FAIL) {
                throw new DatasetException(s, null);
            }
            skipped.add(of(s));
        }
        List<DatasetReader.Pair> pairs = listing.pairs();
        int planned = limit > 0 ? Math.min(limit, pairs.size()) : pairs.size();
        AtomicInteger acked = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        int sent = 0;
        int processed = 0;
        ProgressLine bar = new ProgressLine(System.console() != null);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (DatasetReader.Pair pair : pairs) {
                if (sent >= planned) {
                    break;
                }
                if (failure.get() != null) {
                    break;
                }
                processed++;
                Example example;
                try {
                    example = reader.read(pair);
                } catch (DatasetException e) {
                    if (policy == BadPairPolicy.FAIL || e.pair() == null) {
                        throw e;
                    }
                    skipped.add(of(e.pair()));
                    continue;
                }
                LayoutImagePair record = encoder.encode(pair.name(), example);
                byte[] key = record.getId().getBytes(StandardCharsets.UTF_8);
                int recordBytes = key.length + record.getSerializedSize();
                if (recordBytes > maxRecordBytes) {
                    String why = "record of " + recordBytes + " bytes is above the " + maxRecordBytes
                            + "-byte limit (Kafka's default max.message.bytes is 1 MiB); use a smaller --preset/--size"
                            + (photos == PairEncoder.PhotoFormat.PNG ? " or --photo-format jpeg" : "");
                    if (policy == BadPairPolicy.FAIL) {
                        throw new IllegalArgumentException("pair " + pair.name() + ": " + why);
                    }
                    skipped.add(new Skipped(pair.name(), "RECORD_TOO_LARGE", why));
                    continue;
                }
                producer.send(new ProducerRecord<>(topic, record.getId(), record.toByteArray()), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                sent++;
                bytes += recordBytes;
                bar.show(progress(sent, processed, pairs.size()), String.format(Locale.ROOT, "%d/%d pairs read, %d sent, %d skipped, %s",
                        processed, pairs.size(), sent, skipped.size(), megabytes(bytes)));
            }
            producer.flush();
            bar.show(1, String.format(Locale.ROOT, "%d pairs, %d skipped, %s", sent, skipped.size(), megabytes(bytes)));
        } catch (KafkaException e) {
            throw new IllegalStateException("producing to " + topic + " at " + bootstrap + " failed: " + e.getMessage(), e);
        } finally {
            bar.done();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing to " + topic + " at " + bootstrap + " failed after "
                    + acked.get() + " pairs: " + failure.get().getMessage(), failure.get());
        }
        int listed = listing.pairs().size() + listing.unpaired().size();
        return new Result(name, topic, wh[0], wh[1], listed, acked.get(), bytes, skipped);
    }

    private KafkaProducer<String, byte[]> producer() {
        // Batches of pairs (a short linger); fail within seconds, not the default minute, when no broker answers.
        return Producers.durable(bootstrap, Map.of(ProducerConfig.CLIENT_ID_CONFIG, "cimle-ingest",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
    }

    /** {width, height}: of the preset (default paper), or of --size. */
    int[] targetSize() {
        Size size = this.size == null ? new Size() : this.size;
        if (size.size != null) {
            String[] parts = size.size.toLowerCase(Locale.ROOT).split("x");
            if (parts.length != 2 || !parts[0].matches("\\d{1,5}") || !parts[1].matches("\\d{1,5}")
                    || Integer.parseInt(parts[0]) == 0 || Integer.parseInt(parts[1]) == 0) {
                throw new IllegalArgumentException("--size must be WIDTHxHEIGHT such as 512x256, got '" + size.size + "'");
            }
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        }
        ModelConfig preset = Presets.byName(size.preset == null ? "paper" : size.preset, 20);
        return new int[] {preset.width(), preset.height()};
    }

    /** Done fraction: pairs looked at, or pairs sent towards --limit, whichever is further. */
    private double progress(int sent, int processed, int listed) {
        double f = listed == 0 ? 1 : (double) processed / listed;
        return limit > 0 ? Math.max(f, (double) sent / limit) : f;
    }

    private static Skipped of(DatasetReport.Skipped s) {
        return new Skipped(s.name(), s.problem().name(), s.detail());
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, String option) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        List<String> valid = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            valid.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(option + " must be one of " + String.join(", ", valid) + ", got '" + value + "'");
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }
}
