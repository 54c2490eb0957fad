package io.cimle.trainer;

import io.cimle.core.training.ImleConfig;
import io.cimle.core.training.Setting;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * The trainer's training settings: every {@link ImleConfig#SETTINGS} entry is the key
 * {@code cimle.trainer.imle.<name>} (environment: {@code CIMLE_TRAINER_IMLE_<NAME>}), over the base named by
 * {@code cimle.trainer.imle.base}: {@code default} (the best measured method, where users start) or
 * {@code reference} (the paper's exact configuration). No per-setting code: a setting declared in the core is
 * a key here. A key under {@code cimle.trainer.imle.} that names no setting fails at start-up (a typo would
 * otherwise train with the default silently); earlier names (an alias, or {@code cimle.trainer.noise} and
 * {@code cimle.trainer.region-code-dim} from before the table) are still read.
 */
@ApplicationScoped
public class ImleSettings {
    static final String PREFIX = "cimle.trainer.imle.";
    /** Keys under the prefix that are the service's own, not training settings. */
    private static final Set<String> SERVICE_KEYS = Set.of("base", "min-code-spread", "health-check", "vgg-weights");
    /** Settings that once had keys directly under cimle.trainer. */
    private static final Set<String> LEGACY_TOP_LEVEL = Set.of("noise", "region-code-dim");

    @Inject
    Config config;

    private ImleConfig configured;

    @PostConstruct
    void init() {
        configured = read(name -> config.getOptionalValue(name, String.class).orElse(null), config.getPropertyNames());
    }

    /** The settings as configured, before a data set caps |S|. */
    public ImleConfig configured() {
        return configured;
    }

    /**
     * The settings for a data set of {@code datasetSize} pairs: |S| (and with it |S~|) is capped by it, as a
     * small data set is selected whole each epoch.
     */
    public ImleConfig forDataset(int datasetSize) {
        return configured.withExamples(Math.max(1, Math.min(configured.examples(), datasetSize)));
    }

    /** The settings {@code lookup} holds; {@code names} are every key it knows (checked for unknown settings). */
    static ImleConfig read(Function<String, String> lookup, Iterable<String> names) {
        for (String key : names) {
            if (key.startsWith(PREFIX)) {
                String name = key.substring(PREFIX.length());
                if (!SERVICE_KEYS.contains(name) && ImleConfig.byName(name) == null) {
                    throw new IllegalArgumentException("unknown training setting " + key + "; the settings are "
                            + ImleConfig.SETTINGS.stream().map(Setting::name).toList());
                }
            }
        }
        String base = lookup.apply(PREFIX + "base");
        ImleConfig start = switch (base == null ? "default" : base.trim()) {
            case "default" -> ImleConfig.DEFAULT;
            case "reference" -> ImleConfig.REFERENCE;
            default -> throw new IllegalArgumentException(PREFIX + "base must be default or reference, got '" + base + "'");
        };
        return ImleConfig.from(start, name -> {
            String v = lookup.apply(PREFIX + name);
            return v != null || !LEGACY_TOP_LEVEL.contains(name) ? v : lookup.apply("cimle.trainer." + name);
        });
    }
}
