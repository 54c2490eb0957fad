package io.cimle.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The mean colour of each instance in a photo, instances read from its layout as connected components
 * ({@link LayoutComponents}): the rarity an instance's own look has, which a class's mean colour hides when a red
 * car and a yellow one of one photo average to orange.
 */
public final class InstanceColours {
    private final LayoutComponents components;
    private final double[][] means; // per component
    private final double[][] errors; // per component: the covariance of its mean (pixel covariance / size), 3x3
    private final double[][] classMeans;

    private InstanceColours(LayoutComponents components, double[][] means, double[][] errors, double[][] classMeans) {
        this.components = components;
        this.means = means;
        this.errors = errors;
        this.classMeans = classMeans;
    }

    public static InstanceColours of(ClassMap layout, RgbImage photo) {
        LayoutComponents comp = LayoutComponents.of(layout);
        double[][] sum = new double[comp.count()][3];
        int[] at = comp.componentAt();
        byte[] rgb = photo.rgb();
        for (int p = 0; p < at.length; p++) {
            for (int c = 0; c < 3; c++) {
                sum[at[p]][c] += rgb[3 * p + c] & 0xff;
            }
        }
        for (int k = 0; k < sum.length; k++) {
            for (int c = 0; c < 3; c++) {
                sum[k][c] /= comp.size(k);
            }
        }
        // Each mean's error from its class's texture pooled over the photo (the spread of pixels about their own
        // instance's mean): a 4-pixel instance's own spread is too noisy an estimate to trust.
        int classes = layout.channels();
        double[][] pooled = new double[classes][9];
        int[] pixels = new int[classes];
        for (int p = 0; p < at.length; p++) {
            double[] m = sum[at[p]];
            int c = comp.classOf(at[p]);
            pixels[c]++;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    pooled[c][i * 3 + j] += ((rgb[3 * p + i] & 0xff) - m[i]) * ((rgb[3 * p + j] & 0xff) - m[j]);
                }
            }
        }
        int[] parts = new int[classes];
        for (int k = 0; k < comp.count(); k++) {
            parts[comp.classOf(k)]++;
        }
        double[][] err = new double[comp.count()][9];
        for (int k = 0; k < err.length; k++) {
            int c = comp.classOf(k);
            double dof = Math.max(1, pixels[c] - parts[c]);
            for (int i = 0; i < 9; i++) {
                err[k][i] = pooled[c][i] / dof / comp.size(k);
            }
        }
        return new InstanceColours(comp, sum, err, ClassColours.means(layout, photo));
    }

    /**
     * The colours that stand for class {@code c}'s looks in this photo: one per instance, or the class's mean where
     * it shows only fragments; empty where the class is absent.
     */
    public List<double[]> looks(int c) {
        List<double[]> out = new ArrayList<>();
        for (int k : components.instancesOf(c)) {
            out.add(means[k]);
        }
        if (out.isEmpty() && classMeans[c] != null) {
            out.add(classMeans[c]);
        }
        return out;
    }

    /**
     * The covariance (3x3, row-major) of each of {@link #looks}'s colours as an estimate: a small instance's mean
     * carries its texture's noise, which a density must not read as a rare look. Zero for a class mean.
     */
    public List<double[]> lookErrors(int c) {
        List<double[]> out = new ArrayList<>();
        for (int k : components.instancesOf(c)) {
            out.add(errors[k]);
        }
        if (out.isEmpty() && classMeans[c] != null) {
            out.add(new double[9]);
        }
        return out;
    }

    /** The covariance of the colour {@link #lookAt} gives for the pixel (zero for a fragment's class mean). */
    public double[] lookErrorAt(int pixel) {
        int k = components.componentAt(pixel);
        return components.isInstance(k) ? errors[k] : new double[9];
    }

    /** How many instances (not fragments) of class {@code c} the photo's layout shows. */
    public int instances(int c) {
        return components.instancesOf(c).length;
    }

    /** Per pixel, the colour its look is read from: its instance's mean, or its class's for a fragment. */
    public double[] lookAt(int pixel) {
        int k = components.componentAt(pixel);
        return components.isInstance(k) ? means[k] : classMeans[components.classOf(k)];
    }

    public LayoutComponents components() {
        return components;
    }
}
