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
    private final double[][] classMeans;

    private InstanceColours(LayoutComponents components, double[][] means, double[][] classMeans) {
        this.components = components;
        this.means = means;
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
        return new InstanceColours(comp, sum, ClassColours.means(layout, photo));
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
