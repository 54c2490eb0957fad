package io.cimle.cli.client;

import com.google.protobuf.ByteString;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.ImageFormat;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.ReplyOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * The smallest useful client of a running generator: send one layout PNG, wait for its samples,
 * write each as {@code sample_NNN.png} with its latent code in {@code sample_NNN.code.json}.
 *
 * <pre>
 * java -cp "cli/target/cli.jar:cli/target/lib/*" io.cimle.cli.client.ClientExample \
 *     localhost:9092 layout.png 9 samples/ [seed]
 * </pre>
 */
public final class ClientExample {
    private ClientExample() {
    }

    /** What came back: the files written, the model that answered, and the seed it used. */
    public record Written(String requestId, List<Path> images, String modelVersion, long seed) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ClientExample BOOTSTRAP LAYOUT.png N OUT_DIR [SEED]");
            System.exit(2);
        }
        Long seed = args.length > 4 ? Long.parseLong(args[4]) : null;
        Written w = run(args[0], Path.of(args[1]), Integer.parseInt(args[2]), seed, Path.of(args[3]),
                Duration.ofMinutes(2));
        System.out.println("wrote " + w.images().size() + " samples of " + w.requestId() + " (model "
                + w.modelVersion() + ", seed " + w.seed() + ") to " + args[3]);
    }

    /**
     * Sends the layout (a class-id PNG: one grey or palette value per pixel, the model's train ids,
     * 255 = void) and writes the answer. A generator's error reply becomes an IllegalArgumentException
     * carrying its code and message.
     */
    public static Written run(String bootstrap, Path layoutPng, int n, Long seed, Path out, Duration timeout)
            throws IOException, TimeoutException {
        if (!Files.isRegularFile(layoutPng)) {
            throw new IllegalArgumentException("layout " + layoutPng + " does not exist");
        }
        if (n < 1) {
            throw new IllegalArgumentException("-n must be >= 1, got " + n);
        }
        byte[] png = Files.readAllBytes(layoutPng);
        if (png.length < 24 || !Arrays.equals(Arrays.copyOf(png, 8), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})) {
            throw new IllegalArgumentException("layout " + layoutPng + " is not a PNG");
        }
        LayoutRequest.Builder request = LayoutRequest.newBuilder()
                .setRequestId("client-" + UUID.randomUUID())
                .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS).setPng(ByteString.copyFrom(png))
                        // Informative (the generator checks them against the decoded PNG): from the IHDR chunk.
                        .setWidth(ByteBuffer.wrap(png, 16, 4).getInt()).setHeight(ByteBuffer.wrap(png, 20, 4).getInt()))
                .setNumSamples(n)
                .setReply(ReplyOptions.newBuilder().setFormat(ImageFormat.PNG))
                .setClientSentAtMs(System.currentTimeMillis());
        if (seed != null) {
            request.setSeed(seed).setHasSeed(true);
        }
        SampleClient.Answer answer;
        try (SampleClient client = new SampleClient(bootstrap)) {
            answer = client.request(request.build(), timeout);
        }
        if (!answer.ok()) {
            throw new IllegalArgumentException("generator refused the request: " + answer.error().getCode() + ": "
                    + answer.error().getMessage());
        }
        Files.createDirectories(out);
        List<Path> images = new ArrayList<>();
        for (GeneratedSample s : answer.samples()) {
            Path image = out.resolve(String.format("sample_%03d.%s", s.getIndex(), s.getFormat() == ImageFormat.JPEG ? "jpg" : "png"));
            Files.write(image, s.getImage().toByteArray());
            Files.writeString(out.resolve(String.format("sample_%03d.code.json", s.getIndex())), codeJson(s));
            images.add(image);
        }
        GeneratedSample first = answer.samples().get(0);
        return new Written(answer.requestId(), images, first.getModelVersion(), first.getCode().getSeed());
    }

    /** The same JSON as {@code cimle generate} writes, so {@code cimle interpolate --from} reads it. */
    static String codeJson(GeneratedSample s) {
        var code = s.getCode();
        StringBuilder json = new StringBuilder("{\n  \"shape\" : ").append(code.getShapeList());
        if (code.getHasSeed()) {
            json.append(",\n  \"seed\" : ").append(code.getSeed());
        } else {
            json.append(",\n  \"values\" : ").append(code.getValuesList());
        }
        return json.append("\n}\n").toString();
    }
}
