package io.cimle.core.data;

/**
 * Bounds checked before pixels are decoded (the header's size is read first, so a decompression
 * bomb is refused without allocating its raster), and the size decoded images are resized to.
 *
 * @param maxBytes     largest accepted encoded size; default 32 MiB
 * @param maxPixels    largest width * height; default 4096 * 4096 (Cityscapes is 2048 * 1024)
 * @param maxSide      largest width or height; default 8192
 * @param targetWidth  width to resize to (nearest for layouts, area/bilinear for photos); 0 = keep
 * @param targetHeight height to resize to; 0 = keep (both 0 or both positive)
 */
public record LayoutLimits(long maxBytes, long maxPixels, int maxSide, int targetWidth, int targetHeight) {
    public static final LayoutLimits DEFAULT = new LayoutLimits(32L << 20, 4096L * 4096, 8192, 0, 0);

    public LayoutLimits {
        if (maxBytes <= 0 || maxPixels <= 0 || maxSide <= 0) {
            throw new IllegalArgumentException("limits must be positive: maxBytes=" + maxBytes + " maxPixels="
                    + maxPixels + " maxSide=" + maxSide);
        }
        if (targetWidth < 0 || targetHeight < 0 || (targetWidth == 0) != (targetHeight == 0)) {
            throw new IllegalArgumentException("target size must be both 0 (keep) or both positive, got "
                    + targetWidth + "x" + targetHeight);
        }
        if (targetWidth > maxSide || targetHeight > maxSide || (long) targetWidth * targetHeight > maxPixels) {
            throw new IllegalArgumentException("target size " + targetWidth + "x" + targetHeight
                    + " exceeds the limits it is meant to respect");
        }
    }

    /** Default bounds with a target size. */
    public static LayoutLimits resizeTo(int width, int height) {
        return DEFAULT.withTarget(width, height);
    }

    public LayoutLimits withTarget(int width, int height) {
        return new LayoutLimits(maxBytes, maxPixels, maxSide, width, height);
    }

    public boolean resizes() {
        return targetWidth > 0;
    }
}
