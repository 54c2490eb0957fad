package io.cimle.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A rendered street set as {@code cimle render-scenes} writes it: paired folders ({@code labels/}, Cityscapes
 * train ids; {@code images/}), {@code classes.json}, instance maps and {@code instances.csv} in the
 * {@link ToyScenes#readInstances} format, each photo's factors in {@code factors/NAME.json}, the factors'
 * definitions in {@code scenes.json} and, for held-out sets, {@code appearances/NAME/L{l}_A{a}.png}: the same
 * geometry rendered under light {@code l} with every instance in appearance {@code a} (modulo its class's
 * count) and the season {@code a mod 3}. Those renders are what the evaluation reads samples against.
 */
public final class RenderedScenes {
    /** The file that marks a folder as a rendered set. */
    public static final String DEFINITION = "scenes.json";

    /** Light and season are scene-wide; paint and facade belong to each instance of their class. */
    public record Factor(String name, boolean perInstance, int classId, List<String> values, double[] frequencies) {
        public int size() {
            return values.size();
        }
    }

    /** One scene: the pair, its instances and the factors its photo was rendered with. */
    public record Scene(String name, ClassMap layout, RgbImage photo, ToyScenes.Instances instances, int light,
                        int season, Path appearances) {
        /** Whether the scene comes with renders of its geometry in every appearance. */
        public boolean hasAppearances() {
            return appearances != null && Files.isDirectory(appearances);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final List<Factor> factors;
    private final List<Scene> scenes;

    private RenderedScenes(Path root, List<Factor> factors, List<Scene> scenes) {
        this.root = root;
        this.factors = List.copyOf(factors);
        this.scenes = List.copyOf(scenes);
    }

    /** Whether {@code root} holds a rendered set (its {@value #DEFINITION}). */
    public static boolean isRendered(Path root) {
        return Files.isRegularFile(root.resolve(DEFINITION));
    }

    /**
     * Reads at most {@code limit} scenes (by name), their layouts and photos at the set's own size (an
     * evaluation compares pixels with the renders, so nothing is resized).
     */
    public static RenderedScenes open(Path root, int limit) {
        Path definition = root.resolve(DEFINITION);
        try {
            List<Factor> factors = factors(JSON.readTree(definition.toFile()));
            List<Example> examples = PairedFolderDataset.open(root, LayoutFormat.CLASS_IDS, DatasetOptions.DEFAULT)
                    .readAll().examples();
            List<Scene> scenes = new ArrayList<>();
            for (Example e : examples.subList(0, Math.min(limit, examples.size()))) {
                String name = e.id().substring(e.id().lastIndexOf('/') + 1); // ids are "set/name"
                ToyScenes.Instances instances = ToyScenes.readInstances(root, name, e.layout().width(),
                        e.layout().height());
                if (instances == null) {
                    throw new DatasetException("rendered scene " + name + " has no instance map under " + root
                            + "/instances", null);
                }
                JsonNode f = JSON.readTree(root.resolve("factors").resolve(name + ".json").toFile());
                scenes.add(new Scene(name, e.layout(), e.photo(), instances, f.path("light").asInt(-1),
                        f.path("season").asInt(-1), root.resolve("appearances").resolve(name)));
            }
            return new RenderedScenes(root, factors, scenes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rendered set under " + root, e);
        }
    }

    private static List<Factor> factors(JsonNode definition) {
        List<Factor> out = new ArrayList<>();
        for (JsonNode f : definition.path("factors")) {
            List<String> values = new ArrayList<>();
            f.path("values").forEach(v -> values.add(v.asText()));
            double[] freq = new double[values.size()];
            for (int i = 0; i < freq.length; i++) {
                freq[i] = f.path("frequencies").path(i).asDouble(1.0 / freq.length);
            }
            out.add(new Factor(f.path("name").asText(), "instance".equals(f.path("scope").asText()),
                    f.path("class").asInt(-1), List.copyOf(values), freq));
        }
        return out;
    }

    public Path root() {
        return root;
    }

    public List<Factor> factors() {
        return factors;
    }

    public List<Scene> scenes() {
        return scenes;
    }

    /** The factor of that name. */
    public Factor factor(String name) {
        return factors.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the rendered set has no factor '" + name + "'"));
    }

    /** The per-instance factor of class {@code classId}, or null. */
    public Factor instanceFactor(int classId) {
        return factors.stream().filter(f -> f.perInstance() && f.classId() == classId).findFirst().orElse(null);
    }

    /** How many appearance renders each held-out scene has: the most values any per-instance factor takes. */
    public int appearanceCount() {
        return factors.stream().filter(Factor::perInstance).mapToInt(Factor::size).max().orElse(1);
    }

    /** The render of {@code scene}'s geometry under light {@code light} with every look set to {@code appearance}. */
    public static RgbImage appearance(Scene scene, int light, int appearance) {
        Path png = scene.appearances().resolve("L" + light + "_A" + appearance + ".png");
        try {
            return Images.decode(Files.readAllBytes(png));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the appearance render " + png, e);
        }
    }
}
