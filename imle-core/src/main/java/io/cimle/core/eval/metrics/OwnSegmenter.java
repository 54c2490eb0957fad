package io.cimle.core.eval.metrics;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The project's own segmenter, for data sets that have exact labels but no published segmenter (the
 * rendered streets): a small fully convolutional net in DJL, dilated 3x3 convolutions (dilations 1,
 * 2, 4, 8, 1; 33 pixels of context, enough for a 64x32 street) with ReLU and a 1x1 classifier, input
 * in [0, 1] plus one channel holding each pixel's row (sky above, road below). Trained with
 * per-pixel cross-entropy on the data's labels (void ignored) and horizontal flips. It scores
 * samples against their layouts the way a Cityscapes segmenter does for the field's mIoU, but its
 * numbers only compare models on this data, never with papers.
 */
public final class OwnSegmenter implements PixelClassifier {
    private static final int MAGIC = 0x43534731; // "CSG1"
    private static final int WIDTH = 32;
    private static final int[] DILATIONS = {1, 2, 4, 8, 1};

    private final NDManager manager;
    private final Block block;
    private final int classes;
    private final Path file;
    private final String sha256;

    private OwnSegmenter(NDManager manager, Block block, int classes, Path file, String sha256) {
        this.manager = manager;
        this.block = block;
        this.classes = classes;
        this.file = file;
        this.sha256 = sha256;
    }

    /** One line per epoch: epoch, mean loss, seconds. */
    public record EpochLog(int epoch, double loss, double seconds) {}

    static boolean isOwn(Path file) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            return in.readInt() == MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    private static Block build(int classes) {
        SequentialBlock b = new SequentialBlock();
        for (int d : DILATIONS) {
            b.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(d, d))
                    .optDilation(new Shape(d, d)).setFilters(WIDTH).build());
            b.add(Activation::relu);
        }
        b.add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(classes).build());
        return b;
    }

    /**
     * Trains on {@code photos} with labels {@code layouts} (class ids; the void channel ignored).
     *
     * @param log called with each finished epoch
     */
    public static OwnSegmenter train(List<RgbImage> photos, List<ClassMap> layouts, int epochs, long seed, Device device,
                                     Consumer<EpochLog> log) {
        int classes = layouts.get(0).channels() - 1;
        Engine.getInstance().setRandomSeed((int) seed);
        NDManager manager = NDManager.newBaseManager(device);
        Block block = build(classes);
        RgbImage first = photos.get(0);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 4, first.height(), first.width()));
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(2e-3f)).build();
        SplittableRandom random = new SplittableRandom(seed);
        int batch = Math.min(16, photos.size()); // the last partial batch of an epoch is left out
        int[] order = new int[photos.size()];
        Arrays.setAll(order, i -> i);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            shuffle(order, random);
            double lossSum = 0;
            int steps = 0;
            for (int s = 0; s + batch <= order.length; s += batch) {
                List<RgbImage> bp = new ArrayList<>();
                List<ClassMap> bl = new ArrayList<>();
                boolean[] flip = new boolean[batch];
                for (int i = 0; i < batch; i++) {
                    bp.add(photos.get(order[s + i]));
                    bl.add(layouts.get(order[s + i]));
                    flip[i] = random.nextBoolean();
                }
                try (NDManager step = manager.newSubManager(); GradientCollector collector =
                        manager.getEngine().newGradientCollector()) {
                    NDArray x = input(step, bp, flip);
                    NDArray target = oneHot(step, bl, flip, classes);
                    NDArray logits = block.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
                    NDArray labelled = target.sum();
                    NDArray loss = logits.logSoftmax(1).mul(target).sum().neg().div(labelled.maximum(1f));
                    collector.backward(loss);
                    lossSum += loss.getFloat();
                    steps++;
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        NDArray w = p.getValue().getArray();
                        adam.update(p.getValue().getId(), w, w.getGradient());
                    }
                }
            }
            log.accept(new EpochLog(epoch, lossSum / Math.max(1, steps), (System.nanoTime() - start) / 1e9));
        }
        return new OwnSegmenter(manager, block, classes, null, "unsaved");
    }

    public void save(Path out) {
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out)))) {
            o.writeInt(MAGIC);
            o.writeInt(classes);
            block.saveParameters(o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write segmenter " + out, e);
        }
    }

    public static OwnSegmenter load(Path file, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException(file + " is not a segmenter written by train-segmenter");
            }
            int classes = in.readInt();
            Block block = build(classes);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 32, 64));
            block.loadParameters(manager, in);
            return new OwnSegmenter(manager, block, classes, file, ContentHash.ofFile(file));
        } catch (IOException | MalformedModelException e) {
            manager.close();
            throw new IllegalArgumentException("cannot read segmenter " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int[][] predict(List<RgbImage> images) {
        int[][] out = new int[images.size()][];
        for (int s = 0; s < images.size(); s += 16) {
            List<RgbImage> batch = images.subList(s, Math.min(images.size(), s + 16));
            try (NDManager step = manager.newSubManager()) {
                NDArray logits = block.forward(new ParameterStore(step, false),
                        new NDList(input(step, batch, new boolean[batch.size()])), false).singletonOrThrow();
                int[] labels = logits.argMax(1).toType(DataType.INT32, false).toIntArray();
                int plane = batch.get(0).width() * batch.get(0).height();
                for (int i = 0; i < batch.size(); i++) {
                    out[s + i] = Arrays.copyOfRange(labels, i * plane, (i + 1) * plane);
                }
            }
        }
        return out;
    }

    @Override
    public int outputs(int width, int height) {
        return classes;
    }

    @Override
    public String provenance() {
        return (file == null ? "(in memory)" : file.getFileName() + " (sha256 " + sha256.substring(0, 12) + ")")
                + ", cimle's own segmenter";
    }

    /** (N, 4, H, W): RGB / 255 and the row's position in [0, 1]; flipped images mirror each row. */
    private static NDArray input(NDManager manager, List<RgbImage> images, boolean[] flip) {
        RgbImage first = images.get(0);
        int w = first.width();
        int h = first.height();
        int plane = w * h;
        float[] data = new float[images.size() * 4 * plane];
        for (int n = 0; n < images.size(); n++) {
            byte[] rgb = images.get(n).rgb();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int src = y * w + (flip[n] ? w - 1 - x : x);
                    int dst = y * w + x;
                    for (int c = 0; c < 3; c++) {
                        data[(n * 4 + c) * plane + dst] = (rgb[3 * src + c] & 0xff) / 255f;
                    }
                    data[(n * 4 + 3) * plane + dst] = h == 1 ? 0f : y / (float) (h - 1);
                }
            }
        }
        return manager.create(data, new Shape(images.size(), 4, h, w));
    }

    /** (N, K, H, W) one-hot labels, all zeros on void pixels (so they add no loss). */
    private static NDArray oneHot(NDManager manager, List<ClassMap> layouts, boolean[] flip, int classes) {
        ClassMap first = layouts.get(0);
        int w = first.width();
        int h = first.height();
        int plane = w * h;
        float[] data = new float[layouts.size() * classes * plane];
        for (int n = 0; n < layouts.size(); n++) {
            int[] ids = layouts.get(n).ids();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int id = ids[y * w + (flip[n] ? w - 1 - x : x)];
                    if (id < classes) {
                        data[(n * classes + id) * plane + y * w + x] = 1f;
                    }
                }
            }
        }
        return manager.create(data, new Shape(layouts.size(), classes, h, w));
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
