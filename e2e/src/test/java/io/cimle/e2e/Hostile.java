package io.cimle.e2e;

import com.google.protobuf.ByteString;
import io.cimle.core.data.Images;
import io.cimle.core.data.ToyScenes;
import io.cimle.wire.v1.CheckpointEvent;
import io.cimle.wire.v1.Interpolation;
import io.cimle.wire.v1.LatentCode;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.Photo;
import io.cimle.wire.v1.ReplyOptions;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Hostile inputs, generated from a seed: broken PNGs, a decompression bomb, mutated protobuf records. */
final class Hostile {
    private Hostile() {
    }

    /** One hostile input: a name for the report and the bytes (null = a tombstone record). */
    record Case(String name, byte[] value) {
    }

    // --- PNGs ---

    static byte[] png(int width, int height, int bitDepth, int colourType, byte[] idat) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(ihdr);
            d.writeInt(width);
            d.writeInt(height);
            d.writeByte(bitDepth);
            d.writeByte(colourType);
            d.writeByte(0);
            d.writeByte(0);
            d.writeByte(0);
            chunk(out, "IHDR", ihdr.toByteArray());
            chunk(out, "IDAT", idat);
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    /** A header claiming {@code side} x {@code side} pixels with a few bytes of image data. */
    static byte[] hugeHeader(int side) {
        return png(side, side, 8, 0, deflate(new byte[64]));
    }

    /**
     * A real decompression bomb: a {@code side} x {@code side} all-zero grey image (side^2 bytes once
     * inflated), deflated a row at a time so the test never holds the raster either.
     */
    static byte[] bomb(int side) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            byte[] row = new byte[side + 1]; // filter byte 0 + zero pixels
            for (int y = 0; y < side; y++) {
                z.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png(side, side, 8, 0, compressed.toByteArray());
    }

    static byte[] deflate(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A valid layout PNG padded with an ancillary chunk to at least {@code bytes}. */
    static byte[] padded(byte[] png, int bytes) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int iend = png.length - 12;
            out.write(png, 0, iend);
            chunk(out, "tEXt", ("Comment\0" + "x".repeat(Math.max(0, bytes - png.length))).getBytes(StandardCharsets.ISO_8859_1));
            out.write(png, iend, 12);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PNG-shaped hostile layouts: named, deterministic from the seed. */
    static List<Case> pngs(SplittableRandom rnd, int count) {
        byte[] good = Rig.layoutPng(3);
        List<Case> out = new ArrayList<>();
        out.add(new Case("png header claiming 100000x100000", hugeHeader(100_000)));
        out.add(new Case("png decompression bomb 12000x12000 all-zero", bomb(12_000)));
        out.add(new Case("png 64x64 (not the model's size)", png(64, 64, 8, 0, deflate(new byte[64 * 65]))));
        out.add(new Case("png 16-bit grey", png(Rig.WIDTH, Rig.HEIGHT, 16, 0, deflate(new byte[Rig.HEIGHT * (1 + 2 * Rig.WIDTH)]))));
        byte[] unknown = new byte[Rig.HEIGHT * (1 + Rig.WIDTH)];
        Arrays.fill(unknown, (byte) 200);
        for (int y = 0; y < Rig.HEIGHT; y++) {
            unknown[y * (1 + Rig.WIDTH)] = 0;
        }
        out.add(new Case("png class id 200 (unknown)", png(Rig.WIDTH, Rig.HEIGHT, 8, 0, deflate(unknown))));
        out.add(new Case("png zero width", png(0, Rig.HEIGHT, 8, 0, deflate(new byte[16]))));
        out.add(new Case("png negative size", png(-5, -5, 8, 0, deflate(new byte[16]))));
        out.add(new Case("png bad colour type 9", png(Rig.WIDTH, Rig.HEIGHT, 8, 9, deflate(new byte[600]))));
        out.add(new Case("png empty", new byte[0]));
        out.add(new Case("png signature only", Arrays.copyOf(good, 8)));
        out.add(new Case("png above the byte limit", padded(good, Rig.GENERATOR_MAX_LAYOUT_BYTES + 50_000)));
        while (out.size() < count) {
            int k = out.size();
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    int n = rnd.nextInt(1, good.length);
                    out.add(new Case("png truncated " + k + " to " + n + " of " + good.length + " bytes", Arrays.copyOf(good, n)));
                }
                case 1 -> {
                    byte[] b = new byte[rnd.nextInt(1, 2048)];
                    rnd.nextBytes(b);
                    out.add(new Case("png random bytes " + k, b));
                }
                default -> {
                    byte[] b = good.clone();
                    for (int f = rnd.nextInt(1, 6); f > 0; f--) {
                        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                    out.add(new Case("png bit flips " + k, b));
                }
            }
        }
        return out;
    }

    // --- LayoutRequest records ---

    static LayoutRequest.Builder base(String id) {
        return Rig.request(id, 1, 1).toBuilder();
    }

    static LatentCode seedCode(long seed) {
        return LatentCode.newBuilder().setSeed(seed).setHasSeed(true).build();
    }

    /** Hostile request records; every parseable one carries the id {@code prefix-k}. */
    static List<Case> requests(String prefix, SplittableRandom rnd, int count) {
        List<Case> out = new ArrayList<>();
        int[] k = {0};
        Supplier<String> id = () -> prefix + "-" + (k[0]++);
        for (int n : new int[] {Rig.GENERATOR_MAX_SAMPLES + 1, 1_000_000, Integer.MAX_VALUE, 0, -1, Integer.MIN_VALUE}) {
            out.add(new Case("num_samples " + n, base(id.get()).setNumSamples(n).build().toByteArray()));
        }
        LayoutRequest.Builder many = base(id.get());
        for (int i = 0; i <= Rig.GENERATOR_MAX_SAMPLES; i++) {
            many.addCodes(seedCode(i));
        }
        out.add(new Case((Rig.GENERATOR_MAX_SAMPLES + 1) + " codes", many.build().toByteArray()));
        out.add(new Case("code of shape 100000x100000", base(id.get()).addCodes(LatentCode.newBuilder()
                .addShape(100_000).addShape(100_000).addValues(1f)).build().toByteArray()));
        out.add(new Case("code with NaN and infinity", base(id.get()).addCodes(LatentCode.newBuilder().addShape(2)
                .addValues(Float.NaN).addValues(Float.POSITIVE_INFINITY)).build().toByteArray()));
        out.add(new Case("code with negative shape", base(id.get()).addCodes(LatentCode.newBuilder().addShape(-1)
                .addShape(Integer.MIN_VALUE)).build().toByteArray()));
        for (int steps : new int[] {Integer.MAX_VALUE, -7, 1, Rig.GENERATOR_MAX_SAMPLES + 1}) {
            out.add(new Case("interpolation steps " + steps, base(id.get()).setInterpolation(Interpolation.newBuilder()
                    .setFrom(seedCode(1)).setTo(seedCode(2)).setSteps(steps)).build().toByteArray()));
        }
        out.add(new Case("interpolation without 'to'", base(id.get()).setInterpolation(Interpolation.newBuilder()
                .setFrom(seedCode(1)).setSteps(3)).build().toByteArray()));
        out.add(new Case("interpolation method 'cubic'", base(id.get()).setInterpolation(Interpolation.newBuilder()
                .setFrom(seedCode(1)).setTo(seedCode(2)).setSteps(3).setMethod("cubic")).build().toByteArray()));
        out.add(new Case("jpeg quality 1000", base(id.get()).setReply(ReplyOptions.newBuilder().setJpegQuality(1000)).build().toByteArray()));
        out.add(new Case("jpeg quality -5", base(id.get()).setReply(ReplyOptions.newBuilder().setJpegQuality(-5)).build().toByteArray()));
        out.add(new Case("seed Long.MIN_VALUE", base(id.get()).setSeed(Long.MIN_VALUE).build().toByteArray()));
        out.add(new Case("request id of 10000 chars", base("r".repeat(10_000)).build().toByteArray()));
        out.add(new Case("model version 999999", base(id.get()).setModelVersion("999999").build().toByteArray()));
        out.add(new Case("model version ../../etc/passwd", base(id.get()).setModelVersion("../../etc/passwd").build().toByteArray()));
        out.add(new Case("layout encoding 99", base(id.get()).setLayout(Layout.newBuilder().setEncodingValue(99)
                .setPng(ByteString.copyFrom(Rig.layoutPng(1)))).build().toByteArray()));
        out.add(new Case("layout by uri", base(id.get()).setLayout(Layout.newBuilder().setPngUri("file:///etc/passwd")).build().toByteArray()));
        out.add(new Case("layout palette of another model", base(id.get()).setLayout(Layout.newBuilder()
                .setEncoding(LayoutEncoding.COLORS).setPalette("cityscapes").setPng(ByteString.copyFrom(Rig.layoutPng(1))))
                .build().toByteArray()));
        out.add(new Case("no layout", LayoutRequest.newBuilder().setRequestId(id.get()).setNumSamples(1).build().toByteArray()));
        out.add(new Case("empty record", new byte[0]));
        out.add(new Case("tombstone", null));
        out.add(new Case("wrong type: LayoutImagePair", Rig.pair(id.get(), 5, 0).toByteArray()));
        out.add(new Case("wrong type: CheckpointEvent", CheckpointEvent.newBuilder().setModelName("toy").setVersion("000001")
                .setSizeBytes(Long.MAX_VALUE).build().toByteArray()));
        out.add(new Case("wrong type: JSON", "{\"requestId\":\"x\",\"numSamples\":1}".getBytes(StandardCharsets.UTF_8)));
        for (Case png : pngs(rnd, Math.max(20, count / 4))) {
            out.add(new Case("layout " + png.name(), base(id.get()).setLayout(Layout.newBuilder()
                    .setEncoding(LayoutEncoding.CLASS_IDS).setPng(ByteString.copyFrom(png.value()))).build().toByteArray()));
        }
        while (out.size() < count) {
            byte[] good = base(id.get()).setNumSamples(rnd.nextInt(1, 4)).build().toByteArray();
            out.add(switch (rnd.nextInt(4)) {
                case 0 -> new Case("truncated request", Arrays.copyOf(good, rnd.nextInt(0, good.length)));
                case 1 -> {
                    byte[] b = good.clone();
                    for (int f = rnd.nextInt(1, 8); f > 0; f--) {
                        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    }
                    yield new Case("mutated request bytes", b);
                }
                case 2 -> {
                    byte[] b = new byte[rnd.nextInt(1, 4096)];
                    rnd.nextBytes(b);
                    yield new Case("random bytes", b);
                }
                default -> {
                    // A varint that claims a huge length, then little: the parser must refuse, not allocate.
                    byte[] b = {0x12, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 1, 2, 3};
                    yield new Case("length-prefix claiming 2 GiB", b);
                }
            });
        }
        return out;
    }

    // --- LayoutImagePair records ---

    static List<Case> pairs(String prefix, SplittableRandom rnd, int count) {
        List<Case> out = new ArrayList<>();
        int[] k = {0};
        Supplier<String> id = () -> prefix + "-" + (k[0]++);
        LayoutImagePair good = Rig.pair("template", 9, 0);
        out.add(new Case("pair without id", good.toBuilder().setId("").build().toByteArray()));
        out.add(new Case("pair id of 5000 chars", good.toBuilder().setId("p".repeat(5000)).build().toByteArray()));
        out.add(new Case("pair without photo", good.toBuilder().setId(id.get()).clearPhoto().build().toByteArray()));
        out.add(new Case("pair without layout", good.toBuilder().setId(id.get()).clearLayout().build().toByteArray()));
        out.add(new Case("pair with photo of another size", good.toBuilder().setId(id.get())
                .setPhoto(Photo.newBuilder().setData(ByteString.copyFrom(Images.encodePng(
                        new ToyScenes(64, 32).sample(1, 1).photo())))).build().toByteArray()));
        out.add(new Case("photo header claiming 100000x100000", good.toBuilder().setId(id.get())
                .setPhoto(Photo.newBuilder().setData(ByteString.copyFrom(hugeHeader(100_000)))).build().toByteArray()));
        out.add(new Case("photo decompression bomb", good.toBuilder().setId(id.get())
                .setPhoto(Photo.newBuilder().setData(ByteString.copyFrom(bomb(12_000)))).build().toByteArray()));
        out.add(new Case("tombstone", null));
        out.add(new Case("wrong type: LayoutRequest", Rig.request(id.get(), 1, 1).toByteArray()));
        for (Case png : pngs(rnd, Math.max(12, count / 4))) {
            out.add(new Case("layout " + png.name(), good.toBuilder().setId(id.get()).setLayout(Layout.newBuilder()
                    .setPng(ByteString.copyFrom(png.value()))).build().toByteArray()));
            if (out.size() < count / 2) {
                out.add(new Case("photo " + png.name(), good.toBuilder().setId(id.get()).setPhoto(Photo.newBuilder()
                        .setData(ByteString.copyFrom(png.value()))).build().toByteArray()));
            }
        }
        while (out.size() < count) {
            byte[] g = good.toBuilder().setId(id.get()).build().toByteArray();
            out.add(switch (rnd.nextInt(3)) {
                case 0 -> new Case("truncated pair", Arrays.copyOf(g, rnd.nextInt(0, g.length)));
                case 1 -> {
                    byte[] b = g.clone();
                    for (int f = rnd.nextInt(1, 8); f > 0; f--) {
                        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    }
                    yield new Case("mutated pair bytes", b);
                }
                default -> {
                    byte[] b = new byte[rnd.nextInt(1, 4096)];
                    rnd.nextBytes(b);
                    yield new Case("random bytes", b);
                }
            });
        }
        return out;
    }
}
