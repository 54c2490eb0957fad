package io.cimle.core.training;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One training setting, declared once (in {@link ImleConfig}'s table, or with the code's form in
 * {@code ModelConfig.CodeForm}): the name users write (the CLI option
 * {@code --name}, the service key {@code cimle.trainer.imle.name}, the checkpoint's JSON key in camel case),
 * the paper's symbol where it has one, the type, the reference's value, the range and the help text. The CLI
 * options, the services' configuration, the demo's trainer arguments, the help footers and the checkpoint's
 * config JSON all come from these declarations, so a new setting is one line where it is declared plus its use.
 *
 * @param name    kebab-case, e.g. "candidates"
 * @param symbol  the paper's name for it ("m", "|S|"), or "" where it has none
 * @param type    Integer, Long, Double, Boolean or an enum
 * @param reference the value of the reference implementation (the paper's setting); what an older checkpoint
 *                that lacks the setting was trained with
 * @param min     smallest allowed value of a number (inclusive), or null
 * @param max     largest allowed value of a number (inclusive, or exclusive with {@code maxExclusive}), or null
 * @param aliases earlier names: JSON keys of older checkpoints and older configuration keys, still read
 */
public record Setting<T>(String name, String symbol, Class<T> type, T reference, Double min, Double max,
                         boolean maxExclusive, String help, List<String> aliases) {

    public Setting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reference, "reference of " + name);
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("setting name must be kebab-case, got '" + name + "'");
        }
        aliases = List.copyOf(aliases);
    }

    public static Setting<Integer> integer(String name, String symbol, int reference, int min, String help, String... aliases) {
        return new Setting<>(name, symbol, Integer.class, reference, (double) min, null, false, help, List.of(aliases));
    }

    public static Setting<Long> integer64(String name, long reference, String help) {
        return new Setting<>(name, "", Long.class, reference, null, null, false, help, List.of());
    }

    public static Setting<Double> real(String name, double reference, Double min, Double max, boolean maxExclusive, String help,
                                String... aliases) {
        return new Setting<>(name, "", Double.class, reference, min, max, maxExclusive, help, List.of(aliases));
    }

    public static Setting<Boolean> flag(String name, boolean reference, String help, String... aliases) {
        return new Setting<>(name, "", Boolean.class, reference, null, null, false, help, List.of(aliases));
    }

    public static <E extends Enum<E>> Setting<E> choice(String name, E reference, String help, String... aliases) {
        @SuppressWarnings("unchecked")
        Class<E> type = (Class<E>) reference.getDeclaringClass();
        return new Setting<>(name, "", type, reference, null, null, false, help, List.of(aliases));
    }

    /** The JSON key: the name in camel case ("sub-batch" is "subBatch"). */
    public String jsonKey() {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char ch : name.toCharArray()) {
            if (ch == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }

    /** For an enum setting, its values as users write them (lower case); empty otherwise. */
    public List<String> choices() {
        return type.isEnum() ? Arrays.stream(type.getEnumConstants()).map(this::format).toList() : List.of();
    }

    /** A value as users and JSON write it: numbers and booleans as they are, enums in lower case. */
    public String format(Object value) {
        return value instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT).replace('_', '-') : String.valueOf(value);
    }

    /** Reads a value as users write it, checked against the type and range; the message names the setting. */
    public T parse(String text) {
        String t = text == null ? "" : text.trim();
        Object v;
        try {
            if (type == Integer.class) {
                v = Integer.valueOf(t);
            } else if (type == Long.class) {
                v = Long.valueOf(t);
            } else if (type == Double.class) {
                v = Double.valueOf(t);
            } else if (type == Boolean.class) {
                if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException();
                }
                v = Boolean.valueOf(t);
            } else {
                v = Arrays.stream(type.getEnumConstants()).filter(e -> ((Enum<?>) e).name().equalsIgnoreCase(t.replace('-', '_')))
                        .findFirst().orElseThrow(IllegalArgumentException::new);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be " + expected() + ", got '" + text + "'");
        }
        return check(type.cast(v));
    }

    /** The value if it is of this setting's type and within its range. */
    public T check(Object value) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(name + " must be " + expected() + ", got " + value);
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            boolean above = max != null && (maxExclusive ? d >= max : d > max);
            if (!Double.isFinite(d) || (min != null && d < min) || above) {
                throw new IllegalArgumentException(name + " must be " + expected() + ", got " + value);
            }
        }
        return type.cast(value);
    }

    /** What a valid value looks like, for messages and help: "an integer >= 1", "one of flat, regional". */
    public String expected() {
        if (type.isEnum()) {
            return "one of " + String.join(", ", choices());
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        String kind = type == Double.class ? "a number" : "an integer";
        if (min != null && max != null) {
            return kind + " in [" + bound(min) + ", " + bound(max) + (maxExclusive ? ")" : "]");
        }
        return kind + (min != null ? " >= " + bound(min) : "") + (max != null ? (maxExclusive ? " < " : " <= ")
                + bound(max) : "");
    }

    private String bound(double v) {
        return type == Double.class ? String.valueOf(v) : String.valueOf((long) v);
    }
}
