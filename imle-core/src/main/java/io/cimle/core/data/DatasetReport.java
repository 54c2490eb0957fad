package io.cimle.core.data;

import java.util.List;

/** Pairs a reader skipped, by name, with the reason. */
public record DatasetReport(int listed, int read, List<Skipped> skipped) {
    public enum Problem { MISSING_PHOTO, MISSING_LAYOUT, UNREADABLE_LAYOUT, UNREADABLE_PHOTO, UNKNOWN_CLASS, SIZE_MISMATCH,
        INVALID_INSTANCES }

    /** One skipped pair. */
    public record Skipped(String name, Problem problem, String detail) {
        @Override
        public String toString() {
            return name + ": " + problem + " (" + detail + ")";
        }
    }

    public DatasetReport {
        skipped = List.copyOf(skipped);
    }

    public boolean clean() {
        return skipped.isEmpty();
    }
}
