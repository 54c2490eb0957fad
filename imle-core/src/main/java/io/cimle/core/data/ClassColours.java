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
}
