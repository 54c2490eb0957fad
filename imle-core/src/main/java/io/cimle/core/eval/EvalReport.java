package io.cimle.core.eval;

import java.util.Locale;

/**
 * One model's evaluation on toy scenes: mode coverage, frequency distance and fidelity from
 * {@link ModeCoverage}, and mean pairwise diversity naming the metric it used (LPIPS only when
 * weights were given; otherwise the pixel fallback, whose numbers are not the paper's).
 */
public record EvalReport(String name, int layouts, int samplesPerLayout, double coverage, double frequencyDistance,
                         double fidelity, double diversity, String diversityMetric) {

    public static String markdownHeader() {
        return "| model | layouts | samples/layout | mode coverage | freq. distance (TV) | fidelity | pairwise diversity |\n"
                + "|---|---|---|---|---|---|---|";
    }

    public String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.3f | %.3f | %.4f |", name, layouts,
                samplesPerLayout, coverage, frequencyDistance, fidelity, diversity);
    }

    /** Header, row and a line naming the diversity metric. */
    public String markdown() {
        return markdownHeader() + "\n" + markdownRow() + "\n\nDiversity metric: " + diversityMetric + "\n";
    }
}
