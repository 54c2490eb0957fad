package io.cimle.core.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG/JPEG bytes with the size read from the header first: a file whose header claims more
 * pixels than allowed is refused before any raster is allocated (decompression bombs).
 */
final class SafeImageIO {
    /** A decoded image and its format, "png" or "jpeg". */
    record Decoded(BufferedImage image, String format) {
    }

    private SafeImageIO() {
    }

    static Decoded read(byte[] bytes, LayoutLimits limits, String what) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageException(ImageException.Reason.UNDECODABLE, what + " is empty (0 bytes)");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ImageException(ImageException.Reason.TOO_LARGE, what + " has " + bytes.length
                    + " bytes, above the limit of " + limits.maxBytes());
        }
        // In-memory stream: ImageIO's default would spill to temp files.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageException(ImageException.Reason.UNDECODABLE, what
                        + " is neither PNG nor JPEG (first bytes: " + hexPrefix(bytes) + ")");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!format.equals("png") && !format.equals("jpeg")) {
                    throw new ImageException(ImageException.Reason.UNDECODABLE, what + " is " + format
                            + "; only PNG and JPEG are accepted");
                }
                reader.setInput(in, true, true);
                // The header alone: PNG's IHDR, JPEG's SOF.
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkSize(width, height, limits, what);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    // The JPEG reader fills a truncated file with grey and only warns.
                    throw new ImageException(ImageException.Reason.UNDECODABLE, what + " is damaged: "
                            + String.join("; ", warnings));
                }
                return new Decoded(image, format);
            } finally {
                reader.dispose();
            }
        } catch (ImageException e) {
            throw e;
        } catch (IIOException e) {
            throw new ImageException(ImageException.Reason.UNDECODABLE, what + " cannot be decoded: "
                    + describe(e), e);
        } catch (IOException | RuntimeException e) {
            throw new ImageException(ImageException.Reason.UNDECODABLE, what + " cannot be decoded (truncated or "
                    + "corrupt): " + describe(e), e);
        }
    }

    static void checkSize(int width, int height, LayoutLimits limits, String what) {
        if (width <= 0 || height <= 0) {
            throw new ImageException(ImageException.Reason.UNDECODABLE, what + " claims a size of " + width + "x"
                    + height);
        }
        if ((long) width * height > limits.maxPixels()) {
            throw new ImageException(ImageException.Reason.TOO_LARGE, what + " claims " + width + "x" + height
                    + " = " + (long) width * height + " pixels, above the limit of " + limits.maxPixels()
                    + " (refused before decoding)");
        }
        if (width > limits.maxSide() || height > limits.maxSide()) {
            throw new ImageException(ImageException.Reason.WRONG_SIZE, what + " is " + width + "x" + height
                    + "; each side must be at most " + limits.maxSide());
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return sb.toString();
    }

    private static String hexPrefix(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
