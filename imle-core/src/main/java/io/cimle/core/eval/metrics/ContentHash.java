package io.cimle.core.eval.metrics;

import io.cimle.core.data.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 of files and image sets: the provenance metrics print and the key of cached statistics. */
public final class ContentHash {
    private ContentHash() {
    }

    public static String ofFile(Path file) {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The images' sizes and pixels in order: the same set of pixels gives the same key whatever the files. */
    public static String ofImages(List<RgbImage> images, String salt) {
        MessageDigest md = sha256();
        md.update(salt.getBytes(StandardCharsets.UTF_8));
        for (RgbImage image : images) {
            md.update(ByteBuffer.allocate(8).putInt(image.width()).putInt(image.height()).array());
            md.update(image.rgb());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
