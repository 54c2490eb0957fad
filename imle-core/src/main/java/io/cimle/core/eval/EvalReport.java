package io.cimle.core.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One model's evaluation on toy scenes: mode coverage, frequency distance and fidelity from
 * {@link ModeCoverage}, and mean pairwise diversity naming the metric it used (LPIPS only when
 * weights were given; otherwise the pixel fallback, whose numbers are not the paper's).
 */
public record EvalReport(String name, int layouts, int samplesPerLayout, double coverage, double frequencyDistance,
                         double fidelity, double diversity, String diversityMetric, Map<String, Double> factorCoverage,
                         double regionFidelity, Map<String, Double> classFidelity, Map<String, Double> instanceCoverage,
                         Map<String, Double> independence) {

    public EvalReport {
        factorCoverage = Collections.unmodifiableMap(new LinkedHashMap<>(factorCoverage));
        classFidelity = Collections.unmodifiableMap(new LinkedHashMap<>(classFidelity));
        instanceCoverage = Collections.unmodifiableMap(new LinkedHashMap<>(instanceCoverage));
        independence = Collections.unmodifiableMap(new LinkedHashMap<>(independence));
    }

    /** The least covered factor's coverage: where a collapsed factor shows (1 when none varies). */
    public double minFactorCoverage() {
        return factorCoverage.values().stream().mapToDouble(Double::doubleValue).min().orElse(1);
    }

    /** The least covered per-instance class's coverage (1 when the scenes have no instances). */
    public double minInstanceCoverage() {
        return instanceCoverage.values().stream().mapToDouble(Double::doubleValue).min().orElse(1);
    }

    /** The least covered factor or per-instance class: what the training pictures plot as coverage. */
    public double minCoverage() {
        return Math.min(minFactorCoverage(), minInstanceCoverage());
    }

    public static String markdownHeader() {
        return "| model | layouts | samples/layout | mode coverage | per factor | min factor | per instance: coverage "
                + "/ mixed | freq. distance (TV) | fidelity (all regions / per region) | pairwise diversity |\n"
                + "|---|---|---|---|---|---|---|---|---|---|";
    }

    public String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %s | %.2f | %s | %.3f | %.3f / %.3f | %.4f |", name,
                layouts, samplesPerLayout, coverage, factors(), minFactorCoverage(), instances(), frequencyDistance,
                fidelity, regionFidelity, diversity);
    }

    /** "car 0.95 / 0.88, building 0.93 / 0.91": per instance class, coverage / mixed; "-" without instances. */
    public String instances() {
        if (instanceCoverage.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        instanceCoverage.forEach((name, v) -> out.append(out.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT,
                "%s %.2f / %s", name, v, independence.containsKey(name)
                        ? String.format(Locale.ROOT, "%.2f", independence.get(name)) : "-")));
        return out.toString();
    }

    /** "sky 1.00, vegetation 0.95, car 0.98": each varying factor's coverage. */
    public String factors() {
        return listed(factorCoverage);
    }

    /** "sky 0.97, road 0.88, ...": per layout class, the share of its regions within the fidelity threshold. */
    public String classFidelities() {
        return listed(classFidelity);
    }

    private static String listed(Map<String, Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        values.forEach((name, v) -> out.append(out.isEmpty() ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.2f", name, v)));
        return out.toString();
    }

    /** Header, row and a line naming the diversity metric. */
    public String markdown() {
        return markdownHeader() + "\n" + markdownRow() + "\n\nFidelity per class (regions within the threshold): "
                + classFidelities() + ".\nDiversity metric: " + diversityMetric + "\n";
    }
}
