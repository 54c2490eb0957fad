package io.cimle.core.training;

/** Test values for the settings table, shared by the tests that check every front end maps every setting. */
public final class SettingValues {
    private SettingValues() {
    }

    /** A valid value other than {@link ImleConfig#DEFAULT}'s, for any setting: setting it must show. */
    public static Object otherThanDefault(Setting<?> s) {
        Object d = ImleConfig.DEFAULT.get(s);
        if (d instanceof Boolean b) {
            return !b;
        }
        if (d instanceof Integer i) {
            return i + 1;
        }
        if (d instanceof Long l) {
            return l + 1;
        }
        if (d instanceof Double x) {
            return s.max() != null ? (x + s.max()) / 2 : x + 0.5;
        }
        Object[] values = s.type().getEnumConstants();
        return values[0].equals(d) ? values[1] : values[0];
    }
}
