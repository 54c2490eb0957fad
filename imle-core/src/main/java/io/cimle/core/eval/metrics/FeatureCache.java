package io.cimle.core.eval.metrics;

import io.cimle.core.data.RgbImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A data set's Inception features kept on disk under a key that is the SHA-256 of its pixels and of
 * the network file: a real set's features are computed once per network, and a changed image or
 * network can never reuse stale ones. Features rather than mean and covariance: KID needs them and
 * FID's low-rank route uses them; 30 images are 240 KB (a 2048x2048 covariance would be 32 MB).
 */
public final class FeatureCache {
    private static final int MAGIC = 0x43464541; // "CFEA"
    private final Path directory;

    public FeatureCache(Path directory) {
        this.directory = directory;
    }

    /** The features of {@code images}, read from the cache or computed and stored. */
    public float[][] features(List<RgbImage> images, InceptionFeatures network) {
        Path file = directory.resolve(ContentHash.ofImages(images, network.network().sha256()) + ".features");
        if (Files.isRegularFile(file)) {
            float[][] cached = read(file);
            if (cached.length == images.size()) {
                return cached;
            }
        }
        float[][] f = network.of(images);
        write(file, f);
        return f;
    }

    /** Where {@code images}' features would lie for this network (for tests and messages). */
    public Path fileFor(List<RgbImage> images, InceptionFeatures network) {
        return directory.resolve(ContentHash.ofImages(images, network.network().sha256()) + ".features");
    }

    private static float[][] read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException(file + " is not a cimle feature cache file");
            }
            int n = in.readInt();
            int d = in.readInt();
            float[][] out = new float[n][d];
            for (float[] row : out) {
                for (int j = 0; j < d; j++) {
                    row[j] = in.readFloat();
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cached features " + file, e);
        }
    }

    private void write(Path file, float[][] features) {
        try {
            Files.createDirectories(directory);
            // Written aside and moved: a killed run never leaves a truncated file under the real key.
            Path tmp = Files.createTempFile(directory, "features", ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(MAGIC);
                out.writeInt(features.length);
                out.writeInt(features.length == 0 ? 0 : features[0].length);
                for (float[] row : features) {
                    for (float v : row) {
                        out.writeFloat(v);
                    }
                }
            }
            // createTempFile makes it owner-only; a cache is shared like the data it describes.
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write cached features " + file, e);
        }
    }
}
