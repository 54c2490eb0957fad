package io.cimle.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic street scenes whose photos are multimodal by construction. A {@link Mode} sets five
 * factors of appearance: the time of day (global: sky colour and the brightness of everything), the
 * car colour, the building hue, the sky's weather and the vegetation's season (each on its own
 * region: large for sky and buildings, small for cars). {@link #sample} draws the classic
 * {@link #modeCount()} looks (time of day x car colour x building hue); {@code ToyModeData} draws any
 * chosen set, such as the per-region factors. The prototypes are exact colours, so {@link ModeReader}
 * can tell which mode any image (e.g. a generator's sample) shows. Everything is deterministic from a seed.
 */
public final class ToyScenes {
    public static final int SKY = 0;
    public static final int ROAD = 1;
    public static final int SIDEWALK = 2;
    public static final int BUILDING = 3;
    public static final int VEGETATION = 4;
    public static final int CAR = 5;
    public static final int VOID = 6;

    /** Global lighting: sets the sky colour and scales every other class's colour. */
    public enum TimeOfDay {
        DAY(new int[] {110, 165, 235}, 1.0), DUSK(new int[] {235, 140, 80}, 0.7), NIGHT(new int[] {20, 24, 55}, 0.35);

        final int[] sky;
        final double brightness;

        TimeOfDay(int[] sky, double brightness) {
            this.sky = sky;
            this.brightness = brightness;
        }
    }

    /**
     * Car body colours (red, white, blue, yellow, purple) in daylight; the classic modes use the first three, the
     * regions and instance scenes four, the long tail all five.
     */
    static final int[][] CAR_COLOURS = {{200, 30, 35}, {230, 230, 225}, {35, 70, 200}, {225, 190, 40}, {140, 55, 165}};
    static final int CLASSIC_CAR_COLOURS = 3;
    /** Car colours of every variant but the long tail. */
    static final int MODE_CAR_COLOURS = 4;
    /** The long tail's frequencies: car paints, facades (building hues), sky weathers; each sums to 1. */
    static final double[] LONG_TAIL_PAINTS = {0.50, 0.25, 0.13, 0.08, 0.04};
    static final double[] LONG_TAIL_FACADES = {0.60, 0.30, 0.10};
    static final double[] LONG_TAIL_SKIES = {0.70, 0.22, 0.08};
    /** Window glass on the long tail's facades, whatever the facade (a detail a blurred facade loses). */
    public static final int[] WINDOW_COLOUR = {40, 50, 70};
    /** Sky weather: clear (the time of day's own sky), overcast, storm; in daylight. */
    static final int[][] SKY_WEATHERS = {null, {175, 180, 185}, {70, 75, 95}};
    /** Vegetation seasons: summer, autumn, winter; in daylight. */
    static final int[][] VEGETATION_SEASONS = {{70, 135, 55}, {190, 120, 40}, {215, 215, 220}};
    /** Building facades (brick, beige, slate) in daylight. */
    static final int[][] BUILDING_HUES = {{165, 80, 60}, {205, 190, 150}, {85, 100, 135}};
    static final int[] ROAD_COLOUR = {95, 95, 100};
    static final int[] SIDEWALK_COLOUR = {175, 170, 160};
    static final int[] VOID_COLOUR = {40, 40, 40};
    /** Per-channel texture noise (standard deviation, 0..255 units). */
    static final double NOISE_SD = 5.0;

    /**
     * The joint appearance mode of one photo.
     *
     * @param skyWeather       0 clear (the time of day's sky), 1 overcast, 2 storm
     * @param vegetationSeason 0 summer, 1 autumn, 2 winter
     */
    public record Mode(TimeOfDay timeOfDay, int carColour, int buildingHue, int skyWeather, int vegetationSeason) {
        public Mode {
            if (timeOfDay == null || carColour < 0 || carColour >= MODE_CAR_COLOURS || buildingHue < 0
                    || buildingHue >= BUILDING_HUES.length || skyWeather < 0 || skyWeather >= SKY_WEATHERS.length
                    || vegetationSeason < 0 || vegetationSeason >= VEGETATION_SEASONS.length) {
                throw new IllegalArgumentException("bad mode " + timeOfDay + "/" + carColour + "/" + buildingHue + "/"
                        + skyWeather + "/" + vegetationSeason);
            }
        }

        /** A classic mode: clear sky, summer vegetation. */
        public Mode(TimeOfDay timeOfDay, int carColour, int buildingHue) {
            this(timeOfDay, carColour, buildingHue, 0, 0);
        }

        /** Whether this is one of the {@link #modeCount()} classic modes. */
        public boolean classic() {
            return carColour < CLASSIC_CAR_COLOURS && skyWeather == 0 && vegetationSeason == 0;
        }

        /** Index in [0, modeCount()) of a classic mode. */
        public int index() {
            if (!classic()) {
                throw new IllegalStateException("only classic modes have an index, not " + this);
            }
            return (timeOfDay.ordinal() * CLASSIC_CAR_COLOURS + carColour) * BUILDING_HUES.length + buildingHue;
        }

        public static Mode ofIndex(int index) {
            if (index < 0 || index >= modeCount()) {
                throw new IllegalArgumentException("mode index " + index + " outside [0, " + modeCount() + ")");
            }
            return new Mode(TimeOfDay.values()[index / (CLASSIC_CAR_COLOURS * BUILDING_HUES.length)],
                    index / BUILDING_HUES.length % CLASSIC_CAR_COLOURS, index % BUILDING_HUES.length);
        }
    }

    /** Named sets of modes the scenes are drawn from. */
    public enum Variant {
        /** Time of day x three car colours x building hue: one dominant global factor (27 modes). */
        CLASSIC,
        /**
         * Daylight with three independent per-region factors: sky weather (3, a large region), vegetation
         * season (3) and car colour (4, a small region): 36 joint appearances.
         */
        REGIONS,
        /** {@link #REGIONS} and the building hue (3) as a fourth scene-wide factor: 108 joint appearances. */
        REGIONS4,
        /**
         * Daylight, sky weather (3) and vegetation season (3) scene-wide, and instances that each draw their own
         * appearance: two or three cars, each its own colour (4), and two or three building blocks, each its own
         * hue (3). Instances never touch, so each is a connected component of its class in the layout.
         */
        INSTANCES,
        /**
         * {@link #INSTANCES} with a long tail: one to four cars, each a paint of five at frequencies
         * .50/.25/.13/.08/.04; facades .60/.30/.10 with a grid of windows; sky weather .70/.22/.08 (vegetation
         * season uniform). Every appearance is drawn on its own, so a rare one sits beside frequent ones.
         */
        LONG_TAIL;

        public List<Mode> modes() {
            List<Mode> out = new ArrayList<>();
            if (this == CLASSIC) {
                for (int i = 0; i < modeCount(); i++) {
                    out.add(Mode.ofIndex(i));
                }
                return out;
            }
            int cars = hasInstances() ? 1 : MODE_CAR_COLOURS;
            int hues = this == REGIONS4 ? BUILDING_HUES.length : 1;
            for (int w = 0; w < SKY_WEATHERS.length; w++) {
                for (int v = 0; v < VEGETATION_SEASONS.length; v++) {
                    for (int c = 0; c < cars; c++) {
                        for (int b = 0; b < hues; b++) {
                            out.add(new Mode(TimeOfDay.DAY, c, b, w, v));
                        }
                    }
                }
            }
            return out;
        }

        /** Whether each car and building block draws its own appearance ({@link #INSTANCES}, {@link #LONG_TAIL}). */
        public boolean hasInstances() {
            return this == INSTANCES || this == LONG_TAIL;
        }

        /** Classes whose instances each draw their own appearance (none but in the instance variants). */
        public int[] instanceClasses() {
            return hasInstances() ? new int[] {BUILDING, CAR} : new int[0];
        }

        /** How many appearances an instance of {@code cls} takes here: car colours, building hues; 0 otherwise. */
        public int instanceValues(int cls) {
            return this == LONG_TAIL && cls == CAR ? CAR_COLOURS.length : ToyScenes.instanceValues(cls);
        }

        /** The data's frequency of each appearance of an instance of {@code cls} (uniform but in the long tail). */
        public double[] instanceFrequencies(int cls) {
            if (this == LONG_TAIL && (cls == CAR || cls == BUILDING)) {
                return (cls == CAR ? LONG_TAIL_PAINTS : LONG_TAIL_FACADES).clone();
            }
            double[] out = new double[instanceValues(cls)];
            Arrays.fill(out, 1.0 / out.length);
            return out;
        }

        /** The data's frequency of each sky weather (uniform but in the long tail). */
        public double[] skyFrequencies() {
            if (this == LONG_TAIL) {
                return LONG_TAIL_SKIES.clone();
            }
            double[] out = new double[SKY_WEATHERS.length];
            Arrays.fill(out, 1.0 / out.length);
            return out;
        }

        /** {@code classic}, {@code regions}, {@code regions4}, {@code instances} or {@code long-tail}, any case. */
        public static Variant byName(String name) {
            String key = name == null ? "" : name.trim().replace('-', '_');
            for (Variant v : values()) {
                if (v.name().equalsIgnoreCase(key)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("toy scenes must be classic, regions, regions4, instances or long-tail, "
                    + "got '" + name + "'");
        }
    }

    /**
     * How many appearances an instance of {@code cls} can take in {@link Variant#INSTANCES}: car colours, building
     * hues; 0 for other classes ({@link Variant#instanceValues} for another variant).
     */
    public static int instanceValues(int cls) {
        return switch (cls) {
            case CAR -> MODE_CAR_COLOURS;
            case BUILDING -> BUILDING_HUES.length;
            default -> 0;
        };
    }

    /**
     * The instances of an {@link Variant#INSTANCES} scene, for evaluation only (a model sees class ids):
     * per pixel the instance it belongs to (-1 for none), per instance its class and its appearance (a car
     * colour or building hue index).
     */
    public record Instances(int[] instanceAt, int[] classOf, int[] value) {
        public int count() {
            return classOf.length;
        }

        /** Pixels per instance. */
        public int[] sizes() {
            int[] out = new int[count()];
            for (int i : instanceAt) {
                if (i >= 0) {
                    out[i]++;
                }
            }
            return out;
        }
    }

    /** A layout, its photo, the mode the photo was drawn in and, for instance scenes, its instances (else null). */
    public record Scene(String id, ClassMap layout, RgbImage photo, Mode mode, Instances instances) {
        public Scene(String id, ClassMap layout, RgbImage photo, Mode mode) {
            this(id, layout, photo, mode, null);
        }

        public Example example() {
            return new Example(id, layout, photo);
        }
    }

    private final int width;
    private final int height;

    /** Sizes such as 32x64 or 64x128 (height x width); at least 16x16. */
    public ToyScenes(int width, int height) {
        if (width < 16 || height < 16 || width > 4096 || height > 4096) {
            throw new IllegalArgumentException("toy scene size must be 16..4096 per side, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
    }

    public static int modeCount() {
        return TimeOfDay.values().length * CLASSIC_CAR_COLOURS * BUILDING_HUES.length;
    }

    public static LabelSet labelSet() {
        return LabelSets.TOY_SCENES;
    }

    /** Scene number {@code index} of the stream defined by {@code seed}, in a classic mode. */
    public Scene sample(long seed, int index) {
        return sample(seed, index, Variant.CLASSIC.modes());
    }

    /** Scene number {@code index} of the stream defined by {@code seed}, in one of {@code modes} (uniformly). */
    public Scene sample(long seed, int index, List<Mode> modes) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        ClassMap layout = layout(rnd);
        Mode mode = modes.get(rnd.nextInt(modes.size()));
        return new Scene(String.format("toy_%05d", index), layout, render(layout, mode, rnd.nextLong()), mode);
    }

    public List<Scene> generate(int n, long seed) {
        List<Scene> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sample(seed, i));
        }
        return out;
    }

    /** The exact mean colour of a class's pixels in a mode (noise has zero mean). */
    public static int[] prototype(int cls, Mode mode) {
        double b = mode.timeOfDay().brightness;
        return switch (cls) {
            case SKY -> mode.skyWeather() == 0 ? mode.timeOfDay().sky.clone() : scale(SKY_WEATHERS[mode.skyWeather()], b);
            case ROAD -> scale(ROAD_COLOUR, b);
            case SIDEWALK -> scale(SIDEWALK_COLOUR, b);
            case BUILDING -> scale(BUILDING_HUES[mode.buildingHue()], b);
            case VEGETATION -> scale(VEGETATION_SEASONS[mode.vegetationSeason()], b);
            case CAR -> scale(CAR_COLOURS[mode.carColour()], b);
            case VOID -> scale(VOID_COLOUR, b);
            default -> throw new IllegalArgumentException("no toy class " + cls);
        };
    }

    static int[] scale(int[] c, double b) {
        return new int[] {(int) Math.round(c[0] * b), (int) Math.round(c[1] * b), (int) Math.round(c[2] * b)};
    }

    /** Paints a layout in a mode: prototype colour per class plus Gaussian texture noise. */
    public static RgbImage render(ClassMap layout, Mode mode, long noiseSeed) {
        return render(layout, mode, null, noiseSeed);
    }

    /** The same, each instance (where given) in its own appearance. */
    public static RgbImage render(ClassMap layout, Mode mode, Instances instances, long noiseSeed) {
        if (layout.channels() != LabelSets.TOY_SCENES.channels()) {
            throw new IllegalArgumentException("not a toy-scenes layout: " + layout.channels() + " channels");
        }
        int[][] protos = new int[layout.channels()][];
        for (int c = 0; c < protos.length; c++) {
            protos[c] = prototype(c, mode);
        }
        int[][] own = new int[instances == null ? 0 : instances.count()][];
        for (int i = 0; i < own.length; i++) {
            own[i] = instancePrototype(instances.classOf()[i], instances.value()[i], mode.timeOfDay());
        }
        SplittableRandom rnd = new SplittableRandom(noiseSeed);
        RgbImage out = RgbImage.blank(layout.width(), layout.height());
        for (int y = 0; y < layout.height(); y++) {
            for (int x = 0; x < layout.width(); x++) {
                int instance = instances == null ? -1 : instances.instanceAt()[y * layout.width() + x];
                int[] p = instance >= 0 ? own[instance] : protos[layout.at(x, y)];
                out.set(x, y, p[0] + noise(rnd), p[1] + noise(rnd), p[2] + noise(rnd));
            }
        }
        return out;
    }

    /**
     * The same, with {@code windows} the building pixels of no instance painted as window glass (the long tail's
     * facades).
     */
    public static RgbImage render(ClassMap layout, Mode mode, Instances instances, long noiseSeed, boolean windows) {
        RgbImage photo = render(layout, mode, instances, noiseSeed);
        if (windows) {
            paintWindows(layout, instances, photo, mode.timeOfDay(), noiseSeed);
        }
        return photo;
    }

    /** The exact mean colour of an instance of {@code cls} with appearance {@code value} at a time of day. */
    public static int[] instancePrototype(int cls, int value, TimeOfDay time) {
        return switch (cls) {
            case CAR -> scale(CAR_COLOURS[value], time.brightness);
            case BUILDING -> scale(BUILDING_HUES[value], time.brightness);
            default -> throw new IllegalArgumentException("class " + cls + " has no per-instance appearance");
        };
    }

    /**
     * An {@link Variant#INSTANCES} scene: a street whose building blocks and cars stand apart (never touching,
     * so each is a connected component), each drawing its appearance on its own, in one of {@code modes}
     * (the scene-wide factors).
     */
    public Scene sampleInstances(SplittableRandom rnd, String id, List<Mode> modes) {
        return sampleInstances(rnd, id, modes, Variant.INSTANCES);
    }

    /**
     * A scene of an instance variant ({@link Variant#hasInstances()}): {@link Variant#INSTANCES} draws every
     * appearance uniformly (the stream it always drew); {@link Variant#LONG_TAIL} draws one to four cars and
     * every appearance at the variant's frequencies, and puts windows on the facades. Window pixels belong to no
     * instance: an instance's appearance is read from its facade.
     */
    public Scene sampleInstances(SplittableRandom rnd, String id, Variant variant) {
        return sampleInstances(rnd, id, variant.modes(), variant);
    }

    private Scene sampleInstances(SplittableRandom rnd, String id, List<Mode> modes, Variant variant) {
        boolean longTail = variant == Variant.LONG_TAIL;
        int[] ids = new int[width * height];
        List<int[]> boxes = new ArrayList<>(); // {class, x0, y0, x1, y1}
        instanceStreet(rnd, ids, boxes, longTail ? 1 : 2, longTail ? 4 : 2);
        ClassMap layout = new ClassMap(width, height, LabelSets.TOY_SCENES.channels(), ids);
        int[] at = new int[ids.length];
        Arrays.fill(at, -1);
        int[] classOf = new int[boxes.size()];
        int[] value = new int[boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            int[] b = boxes.get(i);
            classOf[i] = b[0];
            value[i] = longTail ? draw(rnd, variant.instanceFrequencies(b[0])) : rnd.nextInt(instanceValues(b[0]));
            for (int y = b[2]; y < b[4]; y++) {
                for (int x = b[1]; x < b[3]; x++) {
                    if (ids[y * width + x] == b[0] && !(longTail && b[0] == BUILDING && window(b, x, y))) {
                        at[y * width + x] = i;
                    }
                }
            }
        }
        Instances instances = new Instances(at, classOf, value);
        Mode mode = longTail ? modes.get(draw(rnd, modeFrequencies(modes, variant.skyFrequencies())))
                : modes.get(rnd.nextInt(modes.size()));
        return new Scene(id, layout, render(layout, mode, instances, rnd.nextLong(), longTail), mode, instances);
    }

    /** Whether (x, y) is a window of the building block {@code box}: a grid of single panes a pixel apart. */
    private static boolean window(int[] box, int x, int y) {
        return x > box[1] && x < box[3] - 1 && y > box[2] && y < box[4] - 1 && (x - box[1]) % 3 == 1
                && (y - box[2]) % 3 == 1;
    }

    /**
     * The long tail's windows: building pixels of no instance are panes, in the glass colour with the same
     * texture noise as everything else (their own stream, so the rest of the photo is as rendered).
     */
    private static void paintWindows(ClassMap layout, Instances instances, RgbImage photo, TimeOfDay time,
                                     long noiseSeed) {
        int[] glass = scale(WINDOW_COLOUR, time.brightness);
        SplittableRandom rnd = new SplittableRandom(noiseSeed ^ 0x3D1A_55E7_9B02_C4F1L);
        for (int y = 0; y < layout.height(); y++) {
            for (int x = 0; x < layout.width(); x++) {
                if (layout.at(x, y) == BUILDING && instances.instanceAt()[y * layout.width() + x] < 0) {
                    photo.set(x, y, glass[0] + noise(rnd), glass[1] + noise(rnd), glass[2] + noise(rnd));
                }
            }
        }
    }

    /** Each mode's frequency: its sky weather's, shared evenly among the modes of that weather. */
    private static double[] modeFrequencies(List<Mode> modes, double[] sky) {
        int[] perSky = new int[sky.length];
        modes.forEach(m -> perSky[m.skyWeather()]++);
        return modes.stream().mapToDouble(m -> sky[m.skyWeather()] / perSky[m.skyWeather()]).toArray();
    }

    /** An index drawn with the given probabilities (summing to 1): how the long tail draws each look. */
    public static int draw(SplittableRandom rnd, double[] p) {
        double u = rnd.nextDouble();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i];
            if (u < sum) {
                return i;
            }
        }
        return p.length - 1;
    }

    /**
     * Sky, grass, two or three building blocks on the horizon with sky between them, a road with sidewalks,
     * {@code minCars} to {@code minCars + carSpread - 1} cars on it at different depths, boxes at least a pixel
     * apart; trees only where they touch no building. Appends each instance's box.
     */
    private void instanceStreet(SplittableRandom rnd, int[] ids, List<int[]> boxes, int minCars, int carSpread) {
        int w = width;
        int h = height;
        int horizon = (int) Math.round(h * uniform(rnd, 0.38, 0.5));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ids[y * w + x] = y < horizon ? SKY : VEGETATION;
            }
        }
        int blocks = 2 + rnd.nextInt(2);
        int slot = w / blocks; // one block per slot, with a gap of sky on each side
        for (int b = 0; b < blocks; b++) {
            int bw = Math.max(3, (int) Math.round(slot * uniform(rnd, 0.45, 0.75)));
            int x0 = b * slot + 1 + rnd.nextInt(Math.max(1, slot - bw - 1));
            int top = Math.max(1, horizon - Math.max(2, (int) Math.round(horizon * uniform(rnd, 0.35, 0.85))));
            int x1 = Math.min(w, x0 + bw);
            fill(ids, w, x0, top, x1, horizon, BUILDING, -1);
            boxes.add(new int[] {BUILDING, x0, top, x1, horizon});
        }
        Road road = road(rnd, ids, w, h, horizon, 0.3, 0.42, 1.4);
        int trees = rnd.nextInt(3);
        for (int i = 0; i < trees; i++) {
            double cx = w * rnd.nextDouble();
            double cy = horizon - h * uniform(rnd, 0.0, 0.08);
            double rx = w * uniform(rnd, 0.02, 0.05);
            double ry = h * uniform(rnd, 0.05, 0.1);
            List<Integer> crown = new ArrayList<>();
            boolean touches = false;
            for (int y = Math.max(1, (int) (cy - ry)); y <= Math.min(h - 1, (int) (cy + ry)); y++) {
                for (int x = Math.max(0, (int) (cx - rx)); x <= Math.min(w - 1, (int) (cx + rx)); x++) {
                    double dx = (x + 0.5 - cx) / rx;
                    double dy = (y + 0.5 - cy) / ry;
                    if (dx * dx + dy * dy <= 1) {
                        touches |= nearClass(ids, w, h, x, y, BUILDING);
                        if (ids[y * w + x] != ROAD && ids[y * w + x] != SIDEWALK) {
                            crown.add(y * w + x);
                        }
                    }
                }
            }
            if (!touches) {
                crown.forEach(p -> ids[p] = VEGETATION);
            }
        }
        int cars = minCars + rnd.nextInt(carSpread);
        for (int i = 0, tries = 0; i < cars && tries < 60; tries++) {
            double t = uniform(rnd, 0.25, 0.95);
            int yb = Math.min(h, horizon + (int) Math.round(t * (h - horizon)));
            double c = road.centre(t);
            double half = road.half(t);
            int cw = Math.max(3, (int) Math.round(w * (0.05 + 0.11 * t)));
            int ch = Math.max(2, (int) Math.round(cw * 0.55));
            double slack = Math.max(0, half - cw / 2.0);
            int x0 = Math.max(0, (int) Math.round(c + uniform(rnd, -slack, slack) - cw / 2.0));
            int[] box = {CAR, x0, Math.max(horizon, yb - ch), Math.min(w, x0 + cw), yb};
            if (boxes.stream().anyMatch(o -> o[0] == CAR && near(o, box))) {
                continue;
            }
            fill(ids, w, box[1], box[2], box[3], box[4], CAR, -1);
            boxes.add(box);
            i++;
        }
    }

    /** Whether two boxes touch or overlap, counting diagonal neighbours (8-connectivity). */
    private static boolean near(int[] a, int[] b) {
        return a[1] <= b[3] && b[1] <= a[3] && a[2] <= b[4] && b[2] <= a[4];
    }

    private static boolean nearClass(int[] ids, int w, int h, int x, int y, int cls) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = x + dx;
                int ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < w && ny < h && ids[ny * w + nx] == cls) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int noise(SplittableRandom rnd) {
        return (int) Math.round(rnd.nextGaussian() * NOISE_SD);
    }

    /** A random street: sky, buildings, a road in perspective with sidewalks, grass, trees, cars, poles. */
    public ClassMap layout(SplittableRandom rnd) {
        int w = width;
        int h = height;
        int[] ids = new int[w * h];
        int horizon = (int) Math.round(h * uniform(rnd, 0.35, 0.5));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ids[y * w + x] = y < horizon ? SKY : VEGETATION;
            }
        }
        // Buildings stand on the horizon; at least one, never reaching the top row (sky stays visible).
        boolean any = false;
        for (int x0 = 0; x0 < w; ) {
            int bw = Math.max(2, (int) Math.round(w * uniform(rnd, 0.08, 0.2)));
            if (rnd.nextDouble() < 0.75 || (!any && x0 + bw >= w)) {
                int top = horizon - Math.max(2, (int) Math.round(horizon * uniform(rnd, 0.3, 0.85)));
                fill(ids, w, x0, Math.max(1, top), Math.min(w, x0 + bw), Math.min(h, horizon + 1), BUILDING, -1);
                any = true;
            }
            x0 += bw;
        }
        Road road = road(rnd, ids, w, h, horizon, 0.25, 0.4, 1.45);
        // Trees near the horizon, over sky, buildings and grass but not the road.
        int trees = rnd.nextInt(4);
        for (int i = 0; i < trees; i++) {
            double cx = w * rnd.nextDouble();
            double cy = horizon - h * uniform(rnd, 0.0, 0.1);
            double rx = w * uniform(rnd, 0.03, 0.07);
            double ry = h * uniform(rnd, 0.06, 0.12);
            for (int y = Math.max(1, (int) (cy - ry)); y <= Math.min(h - 1, (int) (cy + ry)); y++) {
                for (int x = Math.max(0, (int) (cx - rx)); x <= Math.min(w - 1, (int) (cx + rx)); x++) {
                    double dx = (x + 0.5 - cx) / rx;
                    double dy = (y + 0.5 - cy) / ry;
                    int cur = ids[y * w + x];
                    if (dx * dx + dy * dy <= 1 && cur != ROAD && cur != SIDEWALK) {
                        ids[y * w + x] = VEGETATION;
                    }
                }
            }
        }
        // Cars on the road, larger when nearer; at least one.
        int cars = 1 + rnd.nextInt(3);
        for (int i = 0; i < cars; i++) {
            double t = uniform(rnd, 0.3, 0.95);
            int yb = Math.min(h, horizon + (int) Math.round(t * (h - horizon)));
            double c = road.centre(t);
            double half = road.half(t);
            int cw = Math.max(2, (int) Math.round(w * (0.04 + 0.12 * t)));
            int ch = Math.max(2, (int) Math.round(cw * 0.55));
            double slack = Math.max(0, half - cw / 2.0);
            int x0 = (int) Math.round(c + uniform(rnd, -slack, slack) - cw / 2.0);
            fill(ids, w, Math.max(0, x0), Math.max(horizon, yb - ch), Math.min(w, x0 + cw), yb, CAR, -1);
        }
        // Now and then a pole: an object the label set does not name.
        if (rnd.nextDouble() < 0.5) {
            int px = rnd.nextInt(w);
            int pw = Math.max(1, w / 64);
            fill(ids, w, px, (int) (horizon * 0.6), Math.min(w, px + pw), horizon + (h - horizon) / 2, VOID, CAR);
        }
        return new ClassMap(w, h, LabelSets.TOY_SCENES.channels(), ids);
    }

    private static void fill(int[] ids, int w, int x0, int y0, int x1, int y1, int cls, int keep) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (ids[y * w + x] != keep) {
                    ids[y * w + x] = cls;
                }
            }
        }
    }

    private static void writeInstances(Path root, List<Scene> scenes) throws IOException {
        Files.createDirectories(root.resolve("instances"));
        StringBuilder csv = new StringBuilder("name,instance,class,value\n");
        for (Scene s : scenes) {
            Instances inst = s.instances();
            int[] grey = new int[inst.instanceAt().length];
            for (int p = 0; p < grey.length; p++) {
                grey[p] = inst.instanceAt()[p] + 1;
            }
            // The labels' grey writer; one channel above the ids, since it writes its last ("void") as 255.
            Files.write(root.resolve("instances").resolve(s.id() + ".png"), LayoutEncoder.classIdsPng(
                    new ClassMap(s.layout().width(), s.layout().height(), inst.count() + 2, grey)));
            for (int k = 0; k < inst.count(); k++) {
                csv.append(s.id()).append(',').append(k).append(',').append(inst.classOf()[k]).append(',')
                        .append(inst.value()[k]).append('\n');
            }
        }
        Files.writeString(root.resolve("instances.csv"), csv, StandardCharsets.UTF_8);
    }

    /**
     * The instances {@link #writeFolders} wrote for the scene {@code name} under {@code root}, or null when
     * the folder has none (not an instance data set, or not this scene).
     */
    public static Instances readInstances(Path root, String name, int width, int height) throws IOException {
        Path png = root.resolve("instances").resolve(name + ".png");
        Path csv = root.resolve("instances.csv");
        if (!Files.isRegularFile(png) || !Files.isRegularFile(csv)) {
            return null;
        }
        List<int[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length == 4 && f[0].equals(name)) {
                rows.add(new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])});
            }
        }
        // The raster's first band as stored: a grey PNG read through getRGB would pass a gamma curve.
        java.awt.image.Raster grey = SafeImageIO.read(Files.readAllBytes(png), LayoutLimits.DEFAULT, "instance map")
                .image().getRaster();
        if (grey.getWidth() != width || grey.getHeight() != height) {
            throw new IllegalArgumentException("instance map " + png + " is " + grey.getWidth() + "x" + grey.getHeight()
                    + ", its layout " + width + "x" + height);
        }
        int[] at = new int[width * height];
        for (int p = 0; p < at.length; p++) {
            at[p] = grey.getSample(p % width, p / width, 0) - 1;
        }
        int[] classOf = new int[rows.size()];
        int[] value = new int[rows.size()];
        for (int[] r : rows) {
            classOf[r[0]] = r[1];
            value[r[0]] = r[2];
        }
        return new Instances(at, classOf, value);
    }

    /**
     * Road and sidewalks as trapezoids towards a vanishing point on the horizon: the road's half-width at the
     * bottom drawn in [halfLo, halfHi) of the width, the sidewalks out to [1.2, walkHi) times it.
     */
    private static Road road(SplittableRandom rnd, int[] ids, int w, int h, int horizon, double halfLo, double halfHi,
                             double walkHi) {
        double cTop = w * uniform(rnd, 0.4, 0.6);
        double cBottom = w * uniform(rnd, 0.4, 0.6);
        double halfTop = Math.max(1, w * 0.02);
        double halfBottom = w * uniform(rnd, halfLo, halfHi);
        double walk = uniform(rnd, 1.2, walkHi);
        Road road = new Road(cTop, cBottom, halfTop, halfBottom);
        for (int y = horizon; y < h; y++) {
            double t = (y - horizon + 0.5) / (h - horizon);
            double c = road.centre(t);
            double half = road.half(t);
            for (int x = 0; x < w; x++) {
                double d = Math.abs(x + 0.5 - c);
                if (d < half) {
                    ids[y * w + x] = ROAD;
                } else if (d < half * walk) {
                    ids[y * w + x] = SIDEWALK;
                }
            }
        }
        return road;
    }

    /** The road's centre and half-width at t (0 at the horizon, 1 at the bottom edge), in pixels. */
    private record Road(double centreTop, double centreBottom, double halfTop, double halfBottom) {
        double centre(double t) {
            return centreTop + (centreBottom - centreTop) * t;
        }

        double half(double t) {
            return halfTop + (halfBottom - halfTop) * t;
        }
    }

    private static double uniform(SplittableRandom rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    /**
     * Writes {@code n} scenes as paired folders: {@code labels/NAME.png} (class ids, void = 255),
     * {@code images/NAME.png}, {@code classes.json} (the palette) and {@code modes.csv} (ground truth).
     */
    public static List<Scene> writeFolders(Path root, int n, long seed, int width, int height) {
        return writeFolders(root, n, seed, width, height, Variant.CLASSIC);
    }

    /**
     * The same for scenes drawn from a variant's modes. Instance scenes also get {@code instances/NAME.png}
     * (per pixel 0 for none, k + 1 for instance k; 8-bit grey) and {@code instances.csv} (name, instance,
     * class id, appearance): the map is read with its layout ({@link PairedFolderDataset}), the csv by the
     * evaluation.
     */
    public static List<Scene> writeFolders(Path root, int n, long seed, int width, int height, Variant variant) {
        ToyScenes toy = new ToyScenes(width, height);
        List<Mode> modes = variant.modes();
        List<Scene> scenes = new ArrayList<>(n);
        SplittableRandom stream = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            scenes.add(variant.hasInstances() ? toy.sampleInstances(stream, String.format("toy_%05d", i), variant)
                    : toy.sample(seed, i, modes));
        }
        try {
            Files.createDirectories(root.resolve("labels"));
            Files.createDirectories(root.resolve("images"));
            StringBuilder csv = new StringBuilder("name,time_of_day,car_colour,building_hue,sky_weather,"
                    + "vegetation_season,mode_index\n");
            for (Scene s : scenes) {
                Files.write(root.resolve("labels").resolve(s.id() + ".png"), LayoutEncoder.classIdsPng(s.layout()));
                Files.write(root.resolve("images").resolve(s.id() + ".png"), Images.encodePng(s.photo()));
                Mode m = s.mode();
                csv.append(s.id()).append(',').append(m.timeOfDay()).append(',').append(m.carColour()).append(',')
                        .append(m.buildingHue()).append(',').append(m.skyWeather()).append(',')
                        .append(m.vegetationSeason()).append(',').append(m.classic() ? m.index() : -1).append('\n');
            }
            Files.writeString(root.resolve("classes.json"), LabelSets.TOY_SCENES.toJson(), StandardCharsets.UTF_8);
            Files.writeString(root.resolve("modes.csv"), csv, StandardCharsets.UTF_8);
            if (variant.hasInstances()) {
                writeInstances(root, scenes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write toy scenes under " + root, e);
        }
        return scenes;
    }
}
