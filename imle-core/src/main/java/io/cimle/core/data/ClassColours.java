package io.cimle.core.data;

/** The mean colour of each class's pixels in a photo: what rebalancing's densities and the toy mode reader look at. */
public final class ClassColours {
    private ClassColours() {
    }

    /** Mean RGB per layout channel (class), in 0..255; null where a class has no pixels. */
    public static double[][] means(ClassMap layout, RgbImage photo) {
        int ch = layout.channels();
        double[][] sum = new double[ch][3];
        int[] count = new int[ch];
        byte[] rgb = photo.rgb();
        int[] ids = layout.ids();
        for (int i = 0; i < ids.length; i++) {
            int c = ids[i];
            count[c]++;
            sum[c][0] += rgb[3 * i] & 0xff;
            sum[c][1] += rgb[3 * i + 1] & 0xff;
            sum[c][2] += rgb[3 * i + 2] & 0xff;
        }
        double[][] mean = new double[ch][];
        for (int c = 0; c < ch; c++) {
            if (count[c] > 0) {
                mean[c] = new double[] {sum[c][0] / count[c], sum[c][1] / count[c], sum[c][2] / count[c]};
            }
        }
        return mean;
    }

    /**
     * The scene's colour, where an instance's look is read against it: the mean RGB of the pixels of the classes not
     * {@code excluded} (void left out too: the last channel), so under a warm light it is warm whatever the cars' paints;
     * the whole photo's mean where those classes cover nothing.
     */
    public static double[] sceneMean(ClassMap layout, RgbImage photo, boolean[] excluded) {
        double[] sum = new double[3];
        double[] all = new double[3];
        int count = 0;
        byte[] rgb = photo.rgb();
        int[] ids = layout.ids();
        int voidChannel = layout.channels() - 1;
        for (int i = 0; i < ids.length; i++) {
            for (int k = 0; k < 3; k++) {
                all[k] += rgb[3 * i + k] & 0xff;
            }
            if (ids[i] != voidChannel && !excluded[ids[i]]) {
                count++;
                for (int k = 0; k < 3; k++) {
                    sum[k] += rgb[3 * i + k] & 0xff;
                }
            }
        }
        double[] mean = count > 0 ? sum : all;
        int n = count > 0 ? count : ids.length;
        return new double[] {mean[0] / n, mean[1] / n, mean[2] / n};
    }
}
