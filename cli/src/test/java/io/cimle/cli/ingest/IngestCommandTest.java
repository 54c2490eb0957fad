package io.cimle.cli.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.cli.CimleCli;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Images;
import io.cimle.core.data.InstanceFormat;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.LayoutComponents;
import io.cimle.core.data.LayoutDecoder;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.RgbImage;
import io.cimle.kafka.KafkaBrokerExtension;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutImagePair;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Each format: a 64x32 fixture with two good pairs and one bad one, ingested into a real broker at 32x16. */
@ExtendWith(KafkaBrokerExtension.class)
class IngestCommandTest {
    static final int W = 64;
    static final int H = 32;

    @TempDir
    Path dir;

    @Test
    void cityscapes(LocalKafkaBroker broker) throws Exception {
        Path root = dir.resolve("cs");
        for (String n : List.of("aachen_000000_000019", "aachen_000001_000019", "aachen_000002_000019")) {
            // Cityscapes label ids: 0 = unlabelled (void), 7 = road (train 0), 26 = car (train 13).
            layoutPng(root.resolve("gtFine/train/aachen/" + n + "_gtFine_labelIds.png"), 0, 7, 26);
            if (!n.startsWith("aachen_000002")) {
                photo(root.resolve("leftImg8bit/train/aachen/" + n + "_leftImg8bit.png"), "png");
            }
        }
        // The first pair's cars (the right half, one blob) are two instances, side by side.
        BufferedImage instances = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = H / 4; y < H; y++) {
            for (int x = 0; x < W; x++) {
                instances.getRaster().setSample(x, y, 0, x < W / 2 ? 7 : x < 3 * W / 4 ? 26000 : 26001);
            }
        }
        ImageIO.write(instances, "png", root.resolve("gtFine/train/aachen/aachen_000000_000019_gtFine_instanceIds.png")
                .toFile());
        IngestCommand.Result r = ingest(broker, "--format", "cityscapes", "--root", root.toString(), "--size", "32x16");
        assertEquals(new IngestCommand.Skipped("aachen/aachen_000002_000019", "MISSING_PHOTO", r.skipped().get(0).detail()),
                r.skipped().get(0));
        Map<String, LayoutImagePair> got = check(broker, r, LabelSets.CITYSCAPES, Set.of(
                "cityscapes/aachen/aachen_000000_000019", "cityscapes/aachen/aachen_000001_000019"), 19, 0, 13, "image/png");
        LayoutDecoder decoder = new LayoutDecoder(LabelSets.CITYSCAPES, LayoutFormat.CLASS_IDS);
        Layout withMap = got.get("cityscapes/aachen/aachen_000000_000019").getLayout();
        ClassMap map = decoder.decode(withMap.getPng().toByteArray(), withMap.getInstancePng().toByteArray(),
                InstanceFormat.INSTANCE_IDS);
        assertEquals(2, LayoutComponents.of(map).instancesOf(13).length, "the touching cars arrive as two");
        assertTrue(got.get("cityscapes/aachen/aachen_000001_000019").getLayout().getInstancePng().isEmpty(),
                "a pair without a map is sent without one");
    }

    @Test
    void gta5WithPresetSize(LocalKafkaBroker broker) throws Exception {
        Path root = dir.resolve("gta");
        for (String n : List.of("00001", "00002")) {
            layoutPng(root.resolve("labels/" + n + ".png"), 0, 7, 26);
            photo(root.resolve("images/" + n + ".png"), "png");
        }
        Files.write(root.resolve("labels/00003.png"), "not a png at all".getBytes(StandardCharsets.UTF_8));
        photo(root.resolve("images/00003.png"), "png");
        IngestCommand.Result r = ingest(broker, "--format", "gta5", "--root", root.toString(), "--preset", "tiny");
        assertEquals(1, r.skipped().size(), r.skipped().toString());
        assertEquals("00003", r.skipped().get(0).name());
        assertEquals("UNREADABLE_LAYOUT", r.skipped().get(0).problem());
        check(broker, r, LabelSets.CITYSCAPES, Set.of("gta5/00001", "gta5/00002"), 19, 0, 13, "image/png");
    }

    @Test
    void bdd100kWithJpegPhotos(LocalKafkaBroker broker) throws Exception {
        Path root = dir.resolve("bdd");
        for (String n : List.of("0a0a0b1a-7c39d841", "0a0b16e2-93f8c456", "0a0c3694-4cc8b0e3")) {
            // BDD100K train ids: 0 = road, 13 = car, 255 = void.
            layoutPng(root.resolve("labels/train/" + n + "_train_id.png"), 255, 0, 13);
            if (!n.startsWith("0a0c")) {
                photo(root.resolve("images/train/" + n + ".jpg"), "jpeg");
            }
        }
        IngestCommand.Result r = ingest(broker, "--format", "bdd100k", "--root", root.toString(), "--size", "32x16",
                "--photo-format", "jpeg");
        assertEquals(List.of("0a0c3694-4cc8b0e3"), r.skipped().stream().map(IngestCommand.Skipped::name).toList());
        assertEquals("MISSING_PHOTO", r.skipped().get(0).problem());
        Map<String, LayoutImagePair> got = check(broker, r, LabelSets.CITYSCAPES,
                Set.of("bdd100k/0a0a0b1a-7c39d841", "bdd100k/0a0b16e2-93f8c456"), 19, 0, 13, "image/jpeg");
        for (LayoutImagePair p : got.values()) {
            byte[] b = p.getPhoto().getData().toByteArray();
            assertTrue((b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8, "JPEG magic expected");
        }
    }

    @Test
    void pairedFoldersWithTheirOwnClasses(LocalKafkaBroker broker) throws Exception {
        Path root = dir.resolve("street-toys");
        Files.createDirectories(root);
        Files.writeString(root.resolve("classes.json"), LabelSets.TOY_SCENES.toJson());
        for (String n : List.of("a", "b", "c")) {
            // Toy-scene train ids: 1 = road, 5 = car; 255 = void.
            layoutPng(root.resolve("labels/" + n + ".png"), 255, 1, 5);
            photo(root.resolve("images/" + n + ".png"), "png");
        }
        Files.write(root.resolve("labels/c.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        IngestCommand.Result r = ingest(broker, "--format", "folders", "--root", root.toString(), "--size", "32x16");
        assertEquals(List.of("c"), r.skipped().stream().map(IngestCommand.Skipped::name).toList());
        assertEquals("UNREADABLE_LAYOUT", r.skipped().get(0).problem());
        check(broker, r, LabelSets.TOY_SCENES, Set.of("street-toys/a", "street-toys/b"), 6, 1, 5, "image/png");
    }

    @Test
    void badPairsFailExitsWithTwoAndOneLine(LocalKafkaBroker broker) throws Exception {
        Path root = dir.resolve("gta-bad");
        layoutPng(root.resolve("labels/00001.png"), 0, 7, 26);
        photo(root.resolve("images/00001.png"), "png");
        Files.write(root.resolve("labels/00002.png"), new byte[] {1, 2, 3});
        photo(root.resolve("images/00002.png"), "png");
        String err = captureErr(() -> assertEquals(2, CimleCli.run("ingest", "--format", "gta5", "--root",
                root.toString(), "--size", "32x16", "--bad-pairs", "fail", "--dataset", "gta5-failing",
                "--bootstrap", broker.bootstrapServers())));
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("error: bad pair 00002: UNREADABLE_LAYOUT"), err);
        assertEquals(2, CimleCli.run("ingest", "--format", "kitti", "--root", root.toString()));
    }

    @Test
    void recordsAboveTheSizeLimitAreRefusedWithAHint(LocalKafkaBroker broker) throws Exception {
        Path root = dir.resolve("big");
        Files.createDirectories(root);
        Files.writeString(root.resolve("classes.json"), LabelSets.TOY_SCENES.toJson());
        layoutPng(root.resolve("labels/a.png"), 255, 1, 5);
        photo(root.resolve("images/a.png"), "png");
        IngestCommand.Result r = ingest(broker, "--format", "folders", "--root", root.toString(), "--size", "64x32",
                "--dataset", "too-big", "--max-record-bytes", "1024");
        assertEquals(0, r.produced());
        assertEquals("RECORD_TOO_LARGE", r.skipped().get(0).problem());
        assertTrue(r.skipped().get(0).detail().contains("--photo-format jpeg"), r.skipped().get(0).detail());
        String err = captureErr(() -> assertEquals(2, CimleCli.run("ingest", "--format", "folders", "--root",
                root.toString(), "--size", "64x32", "--dataset", "too-big", "--max-record-bytes", "1024",
                "--bad-pairs", "fail", "--bootstrap", broker.bootstrapServers())));
        assertTrue(err.startsWith("error: pair a: record of ") && err.contains("smaller --preset/--size"), err);
        assertTrue(records(broker, "too-big").isEmpty());
    }

    // ---- helpers

    private static IngestCommand.Result ingest(LocalKafkaBroker broker, String... args) {
        IngestCommand cmd = new IngestCommand();
        String[] all = Stream.concat(Arrays.stream(args),
                Stream.of("--bootstrap", broker.bootstrapServers())).toArray(String[]::new);
        new CommandLine(cmd).parseArgs(all);
        return cmd.run();
    }

    /**
     * The records of the data set on layouts.training are exactly the good pairs, at 32x16, with the
     * fixture's classes where they were (void on top, left and right halves below).
     */
    private static Map<String, LayoutImagePair> check(LocalKafkaBroker broker, IngestCommand.Result r, LabelSet labels,
                                                      Set<String> ids, int voidId, int left, int right, String media) {
        assertEquals(ids.size(), r.produced());
        assertEquals(32, r.width());
        assertEquals(16, r.height());
        Map<String, LayoutImagePair> got = records(broker, r.dataset());
        assertEquals(ids, got.keySet());
        LayoutDecoder decoder = new LayoutDecoder(labels, LayoutFormat.CLASS_IDS);
        long bytes = 0;
        for (var e : got.entrySet()) {
            LayoutImagePair p = e.getValue();
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + p.getSerializedSize();
            assertEquals(e.getKey(), p.getId());
            assertEquals(r.dataset(), p.getDataset());
            assertEquals(LayoutEncoding.CLASS_IDS, p.getLayout().getEncoding());
            assertEquals(media, p.getPhoto().getMediaType());
            ClassMap map = decoder.decode(p.getLayout().getPng().toByteArray());
            assertEquals(32, map.width());
            assertEquals(16, map.height());
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 32; x++) {
                    int want = y < 4 ? voidId : x < 16 ? left : right;
                    assertEquals(want, map.at(x, y), e.getKey() + " at x=" + x + ", y=" + y);
                }
            }
            RgbImage photo = Images.decode(p.getPhoto().getData().toByteArray());
            assertEquals(32, photo.width());
            assertEquals(16, photo.height());
            assertEquals(32, p.getPhoto().getWidth());
            assertEquals(16, p.getLayout().getHeight());
        }
        assertEquals(bytes, r.bytes());
        return got;
    }

    /** Every record on layouts.training whose key starts with "dataset/", read to the end of the log. */
    static Map<String, LayoutImagePair> records(LocalKafkaBroker broker, String dataset) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        Map<String, LayoutImagePair> out = new TreeMap<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.LAYOUTS_TRAINING).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 30_000;
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertTrue(System.currentTimeMillis() < deadline, "could not read layouts.training to its end");
                for (var rec : consumer.poll(Duration.ofMillis(200))) {
                    if (rec.key().startsWith(dataset + "/")) {
                        try {
                            out.put(rec.key(), LayoutImagePair.parseFrom(rec.value()));
                        } catch (IOException e) {
                            throw new AssertionError("record " + rec.key() + " is not a LayoutImagePair", e);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** A WxH single-channel layout: the top quarter {@code top}, then the left half {@code left}, the right half {@code right}. */
    static void layoutPng(Path file, int top, int left, int right) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.getRaster().setSample(x, y, 0, y < H / 4 ? top : x < W / 2 ? left : right);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    /** A WxH photo with noise, so encoded sizes are realistic rather than tiny. */
    static void photo(Path file, String format) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        SplittableRandom rnd = new SplittableRandom(file.getFileName().hashCode());
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.setRGB(x, y, rnd.nextInt(1 << 24));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, format, file.toFile());
    }

    static String captureErr(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
