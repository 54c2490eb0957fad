package io.cimle.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the places a setting's default could be restated against the one that holds it: the
 * {@code @WithDefault} of a {@link ConfigMapping} interface. README.md's configuration table may state a
 * default only as the code's; a service's application.properties may not restate one (a value there is an
 * override, kept for a reason). Used by each service's test (shared through service-support's test jar).
 */
public final class ConfigDefaults {
    /** What the README writes for a key the code gives no default. */
    private static final Set<String> NO_DEFAULT = Set.of("none", "auto", "AWS", "the base's");
    /** A table row: the key cell, the default cell, the rest. */
    private static final Pattern ROW = Pattern.compile("^\\| (`[^|]*`) \\| ([^|]*) \\|");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern UNIT = Pattern.compile("(\\d+) (MiB|Mpx)");

    private ConfigDefaults() {
    }

    /**
     * Every key a mapping declares, with its {@code @WithDefault} (empty where it has none); a map member is
     * {@code <key>.*}, a {@code @WithParentName} one is left out.
     */
    public static Map<String, Optional<String>> declared(Class<?> mapping) {
        Map<String, Optional<String>> keys = new LinkedHashMap<>();
        walk(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), keys);
        return keys;
    }

    private static void walk(Class<?> group, String prefix, Map<String, Optional<String>> keys) {
        for (Method m : group.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers()) || m.getParameterCount() > 0 || m.isAnnotationPresent(WithParentName.class)) {
                continue;
            }
            WithName name = m.getAnnotation(WithName.class);
            String key = prefix + "." + (name != null ? name.value() : kebab(m.getName()));
            Class<?> type = m.getReturnType();
            if (Map.class.isAssignableFrom(type)) {
                keys.put(key + ".*", Optional.empty());
            } else if (type.isInterface() && !type.getName().startsWith("java.")) {
                walk(type, key, keys);
            } else {
                WithDefault value = m.getAnnotation(WithDefault.class);
                keys.put(key, Optional.ofNullable(value).map(WithDefault::value));
            }
        }
    }

    /** SmallRye's default naming: maxInFlight is max-in-flight. */
    static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /**
     * The defaults README.md's configuration table states, by key: {@code | `a.b.c`, `.d` | 1, 2 | ... |} is
     * a.b.c = 1 and a.b.d = 2. Rows of wildcard or placeholder keys are left out.
     */
    public static Map<String, String> readmeDefaults(Path readme) throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Configuration");
            }
            Matcher row = ROW.matcher(line);
            if (!inSection || !row.find() || row.group(1).contains("*") || row.group(1).contains("<")) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            Matcher k = BACKTICKED.matcher(row.group(1));
            while (k.find()) {
                String key = k.group(1);
                keys.add(key.startsWith(".") ? keys.get(0).substring(0, keys.get(0).lastIndexOf('.')) + key : key);
            }
            String[] values = row.group(2).trim().split(", ");
            assertEquals(keys.size(), values.length, "README row " + line + ": one default per key");
            for (int i = 0; i < keys.size(); i++) {
                defaults.put(keys.get(i), values[i].replace("`", "").trim());
            }
        }
        return defaults;
    }

    /** README.md at the repository root, from a module's directory (where Maven runs its tests). */
    public static Path readme() {
        Path here = Path.of("").toAbsolutePath();
        while (!Files.exists(here.resolve("README.md")) || !Files.exists(here.resolve("mvnw"))) {
            here = here.getParent();
        }
        return here.resolve("README.md");
    }

    /**
     * Fails where README.md states a default for one of {@code mappings}' keys other than the code's, or names
     * a key under one of their prefixes that none declares. {@code derived}: defaults that live in code
     * rather than in a {@code @WithDefault} (an Optional key resolved by the service), by key.
     */
    public static void checkReadme(Map<String, String> derived, Class<?>... mappings) throws IOException {
        Map<String, Optional<String>> declared = new LinkedHashMap<>();
        List<String> prefixes = new ArrayList<>();
        for (Class<?> mapping : mappings) {
            declared.putAll(declared(mapping));
        }
        declared.keySet().stream().filter(k -> !k.endsWith(".*")).forEach(k -> prefixes.add(k.substring(0, k.lastIndexOf('.') + 1)));
        List<String> wrong = new ArrayList<>();
        readmeDefaults(readme()).forEach((key, stated) -> {
            if (!declared.containsKey(key)) {
                if (prefixes.stream().anyMatch(key::startsWith) && !derived.containsKey(key)) {
                    wrong.add(key + ": no setting declares it");
                }
                return;
            }
            String code = declared.get(key).orElse(derived.get(key));
            boolean agrees = code == null ? NO_DEFAULT.contains(stated) : same(code, stated);
            if (!agrees) {
                wrong.add(key + ": README says " + stated + ", the code " + (code == null ? "none" : code));
            }
        });
        assertEquals(List.of(), wrong, "README.md's configuration table against the settings' defaults");
    }

    /**
     * Fails where a service's application.properties sets one of {@code mappings}' keys to its default: the
     * default is the code's alone, a value there is an override.
     */
    public static void checkNoRestatedDefaults(Path properties, Class<?>... mappings) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(properties)) {
            p.load(in);
        }
        List<String> restated = new ArrayList<>();
        for (Class<?> mapping : mappings) {
            declared(mapping).forEach((key, value) -> {
                if (value.isPresent() && value.get().equals(p.getProperty(key))) {
                    restated.add(key + "=" + value.get());
                }
            });
        }
        assertEquals(List.of(), restated, properties + " restates @WithDefault values (drop them, or set another value for a reason)");
    }

    /** A README value against the code's: 4 MiB is 4194304, 16 Mpx 16777216, 1000 is 1e3. */
    static boolean same(String code, String stated) {
        Matcher unit = UNIT.matcher(stated);
        if (unit.matches()) {
            stated = String.valueOf(Long.parseLong(unit.group(1)) << 20);
        }
        if (code.equals(stated)) {
            return true;
        }
        try {
            return new BigDecimal(code).compareTo(new BigDecimal(stated)) == 0;
        } catch (NumberFormatException notNumbers) {
            return false;
        }
    }
}
