package io.cimle.core.data;

import io.cimle.core.data.ToyScenes.Mode;
import io.cimle.core.data.ToyScenes.TimeOfDay;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@link ToyScenes} mode of any image with a toy layout (ground truth or a generator's
 * sample): the mean colour of each class region is matched to the nearest prototype. The sky
 * gives the time of day; cars and buildings are then matched against prototypes at that brightness.
 */
public final class ModeReader {
    /** Default distance (RGB, 0..255 units) within which a region counts as on its prototype. */
    public static final double DEFAULT_THRESHOLD = 20.0;

    /** One class region: its mean colour, the nearest prototype's index and the distance to it. */
    public record Region(int classId, double[] meanRgb, int prototype, double distance) {
    }

    /**
     * What an image shows. A part is -1 / null when its class is absent from the layout.
     */
    public record Reading(TimeOfDay timeOfDay, int carColour, int buildingHue, List<Region> regions) {
        /** The full mode, or null if a part could not be read. */
        public Mode mode() {
            return timeOfDay == null || carColour < 0 || buildingHue < 0 ? null
                    : new Mode(timeOfDay, carColour, buildingHue);
        }

        /** Whether every readable part equals the given mode. */
        public boolean agreesWith(Mode m) {
            return timeOfDay == m.timeOfDay() && (carColour < 0 || carColour == m.carColour())
                    && (buildingHue < 0 || buildingHue == m.buildingHue());
        }

        /** Share of regions whose mean lies within {@code threshold} of its nearest prototype. */
        public double fidelity(double threshold) {
            if (regions.isEmpty()) {
                return 0;
            }
            return regions.stream().filter(r -> r.distance() <= threshold).count() / (double) regions.size();
        }
    }

    private ModeReader() {
    }

    public static Reading read(ClassMap layout, RgbImage photo) {
        if (layout.width() != photo.width() || layout.height() != photo.height()) {
            throw new IllegalArgumentException("layout " + layout.width() + "x" + layout.height() + " and photo "
                    + photo.width() + "x" + photo.height() + " differ in size");
        }
        if (layout.channels() != LabelSets.TOY_SCENES.channels()) {
            throw new IllegalArgumentException("not a toy-scenes layout: " + layout.channels() + " channels");
        }
        double[][] means = ClassColours.means(layout, photo);
        List<Region> regions = new ArrayList<>();
        // Time of day from the sky; from the road if no sky is visible.
        TimeOfDay[] times = TimeOfDay.values();
        TimeOfDay time = null;
        int anchor = means[ToyScenes.SKY] != null ? ToyScenes.SKY : means[ToyScenes.ROAD] != null ? ToyScenes.ROAD : -1;
        if (anchor >= 0) {
            int[][] protos = new int[times.length][];
            for (int t = 0; t < times.length; t++) {
                protos[t] = ToyScenes.prototype(anchor, new Mode(times[t], 0, 0));
            }
            Region r = nearest(anchor, means[anchor], protos);
            regions.add(r);
            time = times[r.prototype()];
        }
        int car = -1;
        int building = -1;
        if (time != null) {
            for (int c = 0; c < layout.channels() - 1; c++) {
                if (c == anchor || means[c] == null) {
                    continue;
                }
                int[][] protos;
                if (c == ToyScenes.CAR) {
                    protos = scaled(ToyScenes.CAR_COLOURS, time);
                } else if (c == ToyScenes.BUILDING) {
                    protos = scaled(ToyScenes.BUILDING_HUES, time);
                } else {
                    protos = new int[][] {ToyScenes.prototype(c, new Mode(time, 0, 0))};
                }
                Region r = nearest(c, means[c], protos);
                regions.add(r);
                if (c == ToyScenes.CAR) {
                    car = r.prototype();
                } else if (c == ToyScenes.BUILDING) {
                    building = r.prototype();
                }
            }
        }
        return new Reading(time, car, building, List.copyOf(regions));
    }

    private static int[][] scaled(int[][] colours, TimeOfDay time) {
        int[][] out = new int[colours.length][];
        for (int i = 0; i < colours.length; i++) {
            out[i] = ToyScenes.scale(colours[i], time.brightness);
        }
        return out;
    }

    private static Region nearest(int cls, double[] mean, int[][] protos) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int i = 0; i < protos.length; i++) {
            double dr = mean[0] - protos[i][0];
            double dg = mean[1] - protos[i][1];
            double db = mean[2] - protos[i][2];
            double d = Math.sqrt(dr * dr + dg * dg + db * db);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return new Region(cls, mean, best, bestD);
    }
}
