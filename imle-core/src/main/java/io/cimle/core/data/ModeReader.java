package io.cimle.core.data;

import io.cimle.core.data.ToyScenes.Mode;
import io.cimle.core.data.ToyScenes.TimeOfDay;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Reads the {@link ToyScenes} mode of any image with a toy layout (ground truth or a generator's
 * sample): the mean colour of each class region is matched to the nearest prototype among the
 * values a universe of modes holds. The sky gives the time of day and the weather (the road the
 * time when no sky shows); cars, buildings and vegetation are then matched, each on its own, against
 * their prototypes at that brightness.
 */
public final class ModeReader {
    /** Default distance (RGB, 0..255 units) within which a region counts as on its prototype. */
    public static final double DEFAULT_THRESHOLD = 20.0;

    private static final ModeReader CLASSIC = new ModeReader(ToyScenes.Variant.CLASSIC.modes());

    /** One class region: its mean colour, the nearest prototype's index and the distance to it. */
    public record Region(int classId, double[] meanRgb, int prototype, double distance) {
    }

    /**
     * What an image shows. A part is -1 / null when its class is absent from the layout.
     */
    public record Reading(TimeOfDay timeOfDay, int carColour, int buildingHue, int skyWeather, int vegetationSeason,
                          List<Region> regions) {
        /** The full mode, or null if a part could not be read. */
        public Mode mode() {
            return timeOfDay == null || carColour < 0 || buildingHue < 0 || skyWeather < 0 || vegetationSeason < 0
                    ? null : new Mode(timeOfDay, carColour, buildingHue, skyWeather, vegetationSeason);
        }

        /** Whether every readable part equals the given mode. */
        public boolean agreesWith(Mode m) {
            return timeOfDay == m.timeOfDay() && (carColour < 0 || carColour == m.carColour())
                    && (buildingHue < 0 || buildingHue == m.buildingHue())
                    && (skyWeather < 0 || skyWeather == m.skyWeather())
                    && (vegetationSeason < 0 || vegetationSeason == m.vegetationSeason());
        }

        /** Share of regions whose mean lies within {@code threshold} of its nearest prototype. */
        public double fidelity(double threshold) {
            if (regions.isEmpty()) {
                return 0;
            }
            return regions.stream().filter(r -> r.distance() <= threshold).count() / (double) regions.size();
        }
    }

    private final List<TimeOfDay> times;
    private final List<Integer> weathers;
    private final List<Integer> cars;
    private final List<Integer> hues;
    private final List<Integer> seasons;

    /** A reader that tells apart the values these modes take (each factor on its own). */
    public ModeReader(Collection<Mode> universe) {
        if (universe.isEmpty()) {
            throw new IllegalArgumentException("the mode universe is empty");
        }
        times = List.copyOf(new TreeSet<>(universe.stream().map(Mode::timeOfDay).toList()));
        weathers = values(universe, Mode::skyWeather);
        cars = values(universe, Mode::carColour);
        hues = values(universe, Mode::buildingHue);
        seasons = values(universe, Mode::vegetationSeason);
    }

    private static List<Integer> values(Collection<Mode> universe, ToIntFunction<Mode> f) {
        Set<Integer> out = new TreeSet<>();
        universe.forEach(m -> out.add(f.applyAsInt(m)));
        return List.copyOf(out);
    }

    /** Reads against the classic modes (time of day x car colour x building hue). */
    public static Reading read(ClassMap layout, RgbImage photo) {
        return CLASSIC.readImage(layout, photo);
    }

    public Reading readImage(ClassMap layout, RgbImage photo) {
        if (layout.width() != photo.width() || layout.height() != photo.height()) {
            throw new IllegalArgumentException("layout " + layout.width() + "x" + layout.height() + " and photo "
                    + photo.width() + "x" + photo.height() + " differ in size");
        }
        if (layout.channels() != LabelSets.TOY_SCENES.channels()) {
            throw new IllegalArgumentException("not a toy-scenes layout: " + layout.channels() + " channels");
        }
        double[][] means = ClassColours.means(layout, photo);
        List<Region> regions = new ArrayList<>();
        TimeOfDay time = null;
        int weather = -1;
        if (means[ToyScenes.SKY] != null) {
            // Time and weather together: the sky's colour holds both.
            List<Mode> skies = new ArrayList<>();
            for (TimeOfDay t : times) {
                for (int w : weathers) {
                    skies.add(new Mode(t, 0, 0, w, 0));
                }
            }
            Region r = nearest(ToyScenes.SKY, means[ToyScenes.SKY], skies);
            regions.add(r);
            time = skies.get(r.prototype()).timeOfDay();
            weather = skies.get(r.prototype()).skyWeather();
        } else if (means[ToyScenes.ROAD] != null) {
            List<Mode> roads = times.stream().map(t -> new Mode(t, 0, 0)).toList();
            Region r = nearest(ToyScenes.ROAD, means[ToyScenes.ROAD], roads);
            regions.add(r);
            time = roads.get(r.prototype()).timeOfDay();
        }
        int car = -1;
        int building = -1;
        int season = -1;
        if (time != null) {
            TimeOfDay at = time;
            for (int c = 0; c < layout.channels() - 1; c++) {
                if (c == ToyScenes.SKY || means[c] == null || (c == ToyScenes.ROAD && regions.get(0).classId() == c)) {
                    continue;
                }
                List<Mode> protos = switch (c) {
                    case ToyScenes.CAR -> cars.stream().map(v -> new Mode(at, v, 0)).toList();
                    case ToyScenes.BUILDING -> hues.stream().map(v -> new Mode(at, 0, v)).toList();
                    case ToyScenes.VEGETATION -> seasons.stream().map(v -> new Mode(at, 0, 0, 0, v)).toList();
                    default -> List.of(new Mode(at, 0, 0));
                };
                Region r = nearest(c, means[c], protos);
                regions.add(r);
                int value = r.prototype();
                switch (c) {
                    case ToyScenes.CAR -> car = cars.get(value);
                    case ToyScenes.BUILDING -> building = hues.get(value);
                    case ToyScenes.VEGETATION -> season = seasons.get(value);
                    default -> { }
                }
            }
        }
        return new Reading(time, car, building, weather, season, List.copyOf(regions));
    }

    /**
     * One instance of an {@link ToyScenes.Variant#INSTANCES} scene, on its own: its mean colour matched to
     * its class's appearances (every car colour, every building hue) at the time of day {@code at}. The
     * region's prototype is the appearance's index.
     */
    public static Region readInstance(int cls, double[] mean, TimeOfDay at) {
        return readInstance(cls, mean, at, ToyScenes.instanceValues(cls));
    }

    /** The same among the first {@code values} appearances of the class (a variant's own count). */
    public static Region readInstance(int cls, double[] mean, TimeOfDay at, int values) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int v = 0; v < values; v++) {
            double d = distance(mean, ToyScenes.instancePrototype(cls, v, at));
            if (d < bestD) {
                bestD = d;
                best = v;
            }
        }
        return new Region(cls, mean, best, bestD);
    }

    private static double distance(double[] mean, int[] p) {
        double dr = mean[0] - p[0];
        double dg = mean[1] - p[1];
        double db = mean[2] - p[2];
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    private static Region nearest(int cls, double[] mean, List<Mode> modes) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int i = 0; i < modes.size(); i++) {
            double d = distance(mean, ToyScenes.prototype(cls, modes.get(i)));
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return new Region(cls, mean, best, bestD);
    }
}
