package io.cimle.core.eval;

import io.cimle.core.data.RenderedScenes;
import io.cimle.core.data.RenderedScenes.Factor;
import io.cimle.core.data.RenderedScenes.Scene;
import io.cimle.core.data.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a picture of one held-out rendered scene shows (a generated sample or the real render) by comparing
 * each region with renders of the same geometry in every appearance: where light changes every colour, no
 * prototype colour per class exists, but the scene's own renders say what each look looks like under each light.
 * The light is the nearest light over the regions only the light changes (sky, road, sidewalk); under that light,
 * the season is the nearest vegetation and each instance's look its own nearest render over its own pixels.
 * A region's own light (the nearest over lights and looks of that region alone) tells how much of a sample shows
 * one light. Distances are mean absolute differences per channel, in 0..255 units.
 */
public final class RenderedReader {
    /** Cityscapes train ids of the regions whose look only the light sets. */
    static final int ROAD = 0;
    static final int SIDEWALK = 1;
    static final int SKY = 10;
    /** Regions smaller than this many pixels are left out of the one-light check: too few to tell lights apart. */
    static final int MIN_COHERENCE_PIXELS = 6;

    /**
     * A region read: which look, its distance to that look's render, the distance of its mean colour to the render's
     * (what of the distance is the colour rather than blur in space), the light it alone reads as and its distance
     * to the nearest render under any light (what of the distance is a light other than the picture's).
     */
    public record Region(String kind, int instance, int value, double distance, double colourDistance, int ownLight,
                         double ownDistance, int pixels) {
    }

    /**
     * What a picture shows.
     *
     * @param light          the light's index
     * @param season         the season's index, -1 where the layout shows no vegetation
     * @param instanceValues per instance of the scene, its look's index
     * @param regions        light regions (sky, ground), vegetation and every instance, as read
     */
    public record Reading(int light, int season, int[] instanceValues, List<Region> regions) {
        /**
         * The share of the picture, over the regions large enough to tell, whose region alone reads as the
         * picture's light: 1 where sky, ground, vegetation and every instance show one light. Weighted by pixels,
         * so a car of a few pixels read under a neighbouring light moves it little.
         */
        public double coherence() {
            long all = 0;
            long same = 0;
            for (Region r : regions) {
                if (r.pixels() >= MIN_COHERENCE_PIXELS) {
                    all += r.pixels();
                    same += r.ownLight() == light ? r.pixels() : 0;
                }
            }
            return all == 0 ? 1 : same / (double) all;
        }
    }

    private final Scene scene;
    private final Factor lightFactor;
    private final Factor seasonFactor;
    private final int[] instanceValueCount;
    private final RgbImage[][] renders; // [light][appearance]
    private final int[] lightPixels;
    private final int[] vegetationPixels;
    private final int[][] skyAndGround;
    private final int[][] instancePixels;

    public RenderedReader(RenderedScenes set, Scene scene) {
        if (!scene.hasAppearances()) {
            throw new IllegalArgumentException("scene " + scene.name() + " has no appearance renders under "
                    + scene.appearances() + ": render held-out scenes with --held-out");
        }
        this.scene = scene;
        this.lightFactor = set.factor("light");
        this.seasonFactor = set.factor("season");
        int appearances = set.appearanceCount();
        renders = new RgbImage[lightFactor.size()][appearances];
        for (int l = 0; l < renders.length; l++) {
            for (int a = 0; a < appearances; a++) {
                renders[l][a] = RenderedScenes.appearance(scene, l, a);
            }
        }
        int[] ids = scene.layout().ids();
        List<Integer> light = new ArrayList<>();
        List<Integer> sky = new ArrayList<>();
        List<Integer> ground = new ArrayList<>();
        List<Integer> vegetation = new ArrayList<>();
        for (int p = 0; p < ids.length; p++) {
            if (ids[p] == SKY) {
                sky.add(p);
            } else if (ids[p] == ROAD || ids[p] == SIDEWALK) {
                ground.add(p);
            } else if (ids[p] == seasonFactor.classId()) {
                vegetation.add(p);
            }
        }
        light.addAll(sky);
        light.addAll(ground);
        if (light.isEmpty()) {
            for (int p = 0; p < ids.length; p++) {
                light.add(p);
            }
        }
        lightPixels = toArray(light);
        vegetationPixels = toArray(vegetation);
        skyAndGround = new int[][] {toArray(sky), toArray(ground)};
        var instances = scene.instances();
        instanceValueCount = new int[instances.count()];
        List<List<Integer>> own = new ArrayList<>();
        for (int k = 0; k < instances.count(); k++) {
            Factor f = set.instanceFactor(instances.classOf()[k]);
            instanceValueCount[k] = f == null ? 1 : f.size();
            own.add(new ArrayList<>());
        }
        int[] at = instances.instanceAt();
        for (int p = 0; p < at.length; p++) {
            if (at[p] >= 0 && at[p] < own.size()) {
                own.get(at[p]).add(p);
            }
        }
        instancePixels = own.stream().map(RenderedReader::toArray).toArray(int[][]::new);
    }

    public Scene scene() {
        return scene;
    }

    /** Number of instances of the scene. */
    public int instances() {
        return instancePixels.length;
    }

    /** Pixels of instance {@code k} (may be empty where it is hidden). */
    int[] pixelsOf(int k) {
        return instancePixels[k];
    }

    public Reading read(RgbImage picture) {
        if (picture.width() != scene.layout().width() || picture.height() != scene.layout().height()) {
            throw new IllegalArgumentException("picture " + picture.width() + "x" + picture.height() + " but scene "
                    + scene.name() + " is " + scene.layout().width() + "x" + scene.layout().height());
        }
        int light = nearest(picture, lightPixels, 1, -1)[0];
        List<Region> regions = new ArrayList<>();
        String[] kinds = {"sky", "ground"};
        for (int i = 0; i < skyAndGround.length; i++) {
            int[] px = skyAndGround[i];
            if (px.length > 0) {
                regions.add(region(kinds[i], -1, 0, picture, light, px, 1));
            }
        }
        int season = -1;
        if (vegetationPixels.length > 0) {
            season = nearest(picture, vegetationPixels, seasonFactor.size(), light)[1];
            regions.add(region("vegetation", -1, season, picture, light, vegetationPixels, seasonFactor.size()));
        }
        int[] values = new int[instancePixels.length];
        for (int k = 0; k < values.length; k++) {
            int[] px = instancePixels[k];
            if (px.length == 0) {
                values[k] = -1;
                continue;
            }
            values[k] = nearest(picture, px, instanceValueCount[k], light)[1];
            regions.add(region("instance", k, values[k], picture, light, px, instanceValueCount[k]));
        }
        return new Reading(light, season, values, List.copyOf(regions));
    }

    /** A region read as look {@code value} under the picture's {@code light}, beside its nearest (light, look). */
    private Region region(String kind, int instance, int value, RgbImage picture, int light, int[] px, int looks) {
        int[] own = nearest(picture, px, looks, -1);
        return new Region(kind, instance, value, distance(picture, renders[light][value], px),
                colourDistance(picture, renders[light][value], px), own[0],
                distance(picture, renders[own[0]][own[1]], px), px.length);
    }

    /**
     * The nearest (light, appearance) over {@code pixels}, appearances below {@code looks}; under {@code light} only
     * when it is >= 0.
     */
    private int[] nearest(RgbImage picture, int[] pixels, int looks, int light) {
        int[] best = {0, 0};
        double bestD = Double.MAX_VALUE;
        for (int l = light >= 0 ? light : 0; l < (light >= 0 ? light + 1 : renders.length); l++) {
            for (int a = 0; a < looks; a++) {
                double d = distance(picture, renders[l][a], pixels);
                if (d < bestD) {
                    bestD = d;
                    best = new int[] {l, a};
                }
            }
        }
        return best;
    }

    /** Mean absolute difference per channel over {@code pixels}, 0..255 units. */
    static double distance(RgbImage a, RgbImage b, int[] pixels) {
        if (pixels.length == 0) {
            return 0;
        }
        byte[] x = a.rgb();
        byte[] y = b.rgb();
        long sum = 0;
        for (int p : pixels) {
            int i = 3 * p;
            sum += Math.abs((x[i] & 0xff) - (y[i] & 0xff)) + Math.abs((x[i + 1] & 0xff) - (y[i + 1] & 0xff))
                    + Math.abs((x[i + 2] & 0xff) - (y[i + 2] & 0xff));
        }
        return sum / (3.0 * pixels.length);
    }

    /** Mean absolute difference per channel between the mean colours over {@code pixels}, 0..255 units. */
    static double colourDistance(RgbImage a, RgbImage b, int[] pixels) {
        if (pixels.length == 0) {
            return 0;
        }
        byte[] x = a.rgb();
        byte[] y = b.rgb();
        long[] sum = new long[3];
        for (int p : pixels) {
            for (int c = 0; c < 3; c++) {
                sum[c] += (x[3 * p + c] & 0xff) - (y[3 * p + c] & 0xff);
            }
        }
        return (Math.abs(sum[0]) + Math.abs(sum[1]) + Math.abs(sum[2])) / (3.0 * pixels.length);
    }

    /** The render under {@code light} with every look {@code appearance}: what a tied or mean sampler draws from. */
    public RgbImage render(int light, int appearance) {
        return renders[light][appearance];
    }

    /** Light values, appearance renders per light. */
    public int lights() {
        return renders.length;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
