package io.cimle.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which classes of a data set hold instances that each have an appearance of their own (cars of
 * different colours in one street) and which are scene-wide (the sky: two patches of it in one photo,
 * split by a tower, are one weather), read from the training photos rather than assumed.
 *
 * <p>Per class, over the {@link LayoutComponents} instances of each photo: {@code within} is the mean
 * RGB distance between the mean colours of two instances of the same photo, {@code across} the mean
 * distance between the largest instances of two different photos. Instances drawn independently of
 * each other give a ratio near 1 (a pair in one photo differs as much as a pair from two); instances
 * that share the scene's appearance give a ratio near 0 (texture noise only). A class is per-instance
 * when at least {@link #MIN_PHOTOS} photos show two or more of its instances, the ratio is at least
 * {@link #MIN_RATIO}, and its appearance varies at all ({@code across} at least {@link #MIN_SPREAD}: a
 * class of one flat colour, such as a toy sidewalk, needs no part per instance, and there the ratio only
 * compares texture noise with texture noise). Otherwise it stays scene-wide, the code form of every earlier model.
 */
public final class InstanceClasses {
    /** Photos with two or more instances of a class needed before it can count as per-instance. */
    public static final int MIN_PHOTOS = 8;
    /** Within-photo over across-photo distance at which instances count as independent: halfway between the two cases. */
    public static final double MIN_RATIO = 0.5;
    /** Mean RGB distance across photos below which a class's appearance counts as constant (0..255 units). */
    public static final double MIN_SPREAD = 10;
    /** Photos compared pairwise for {@code across} at most (pairs grow with the square). */
    private static final int ACROSS_PHOTOS = 256;

    /** What the data says of one class. */
    public record Evidence(int classId, int photos, double within, double across) {
        public double ratio() {
            return across > 0 ? within / across : 0;
        }

        public boolean perInstance() {
            return photos >= MIN_PHOTOS && ratio() >= MIN_RATIO && across >= MIN_SPREAD;
        }

        public String describe(List<String> names) {
            String name = classId < names.size() ? names.get(classId) : "class " + classId;
            return String.format(Locale.ROOT, "%s: %d photos with 2+ instances, within/across %.2f (%s)", name, photos,
                    ratio(), perInstance() ? "per instance" : "scene-wide");
        }
    }

    private InstanceClasses() {
    }

    /** The evidence for every class but void, in class order. */
    public static List<Evidence> measure(List<Example> examples) {
        if (examples.isEmpty()) {
            return List.of();
        }
        int channels = examples.get(0).layout().channels();
        List<List<double[]>> largest = new ArrayList<>();
        double[] withinSum = new double[channels];
        int[] withinPhotos = new int[channels];
        for (int c = 0; c < channels; c++) {
            largest.add(new ArrayList<>());
        }
        for (Example e : examples) {
            LayoutComponents parts = LayoutComponents.of(e.layout());
            double[][] means = componentMeans(parts, e.layout(), e.photo());
            for (int c = 0; c < channels - 1; c++) {
                int[] instances = parts.instancesOf(c);
                if (instances.length == 0) {
                    continue;
                }
                if (largest.get(c).size() < ACROSS_PHOTOS) {
                    largest.get(c).add(means[instances[0]]);
                }
                if (instances.length >= 2) {
                    double sum = 0;
                    int pairs = 0;
                    for (int a = 0; a < instances.length; a++) {
                        for (int b = a + 1; b < instances.length; b++) {
                            sum += distance(means[instances[a]], means[instances[b]]);
                            pairs++;
                        }
                    }
                    withinSum[c] += sum / pairs;
                    withinPhotos[c]++;
                }
            }
        }
        List<Evidence> out = new ArrayList<>();
        for (int c = 0; c < channels - 1; c++) {
            List<double[]> l = largest.get(c);
            double across = 0;
            int pairs = 0;
            for (int a = 0; a < l.size(); a++) {
                for (int b = a + 1; b < l.size(); b++) {
                    across += distance(l.get(a), l.get(b));
                    pairs++;
                }
            }
            out.add(new Evidence(c, withinPhotos[c], withinPhotos[c] == 0 ? 0 : withinSum[c] / withinPhotos[c],
                    pairs == 0 ? 0 : across / pairs));
        }
        return out;
    }

    /** The per-instance classes of a data set, ascending. */
    public static int[] fit(List<Example> examples) {
        return measure(examples).stream().filter(Evidence::perInstance).mapToInt(Evidence::classId).toArray();
    }

    /** Mean RGB of each component's pixels. */
    static double[][] componentMeans(LayoutComponents parts, ClassMap layout, RgbImage photo) {
        double[][] sum = new double[parts.count()][3];
        byte[] rgb = photo.rgb();
        int n = layout.width() * layout.height();
        for (int p = 0; p < n; p++) {
            double[] s = sum[parts.componentAt(p)];
            s[0] += rgb[3 * p] & 0xff;
            s[1] += rgb[3 * p + 1] & 0xff;
            s[2] += rgb[3 * p + 2] & 0xff;
        }
        for (int i = 0; i < sum.length; i++) {
            for (int k = 0; k < 3; k++) {
                sum[i][k] /= parts.size(i);
            }
        }
        return sum;
    }

    private static double distance(double[] a, double[] b) {
        double dr = a[0] - b[0];
        double dg = a[1] - b[1];
        double db = a[2] - b[2];
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }
}
