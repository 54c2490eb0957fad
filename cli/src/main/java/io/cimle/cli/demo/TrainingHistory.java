package io.cimle.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.cli.chart.TrainingChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the demo saw of its training, kept across runs (a rerun trains on where the last stopped): the loss and
 * the code spread the trainer reported as it went, and the coverage the gallery measured at the end. Drawn as
 * out/training.png ({@link TrainingChart}).
 */
final class TrainingHistory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final List<TrainingChart.Point> points = new ArrayList<>();

    TrainingHistory(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            for (var n : JSON.readTree(file.toFile())) {
                points.add(new TrainingChart.Point(n.path("step").asLong(), number(n, "loss"), number(n, "codeSpread"),
                        number(n, "minCoverage")));
            }
        }
    }

    private static double number(JsonNode n, String field) {
        return n.path(field).isNumber() ? n.path(field).asDouble() : Double.NaN;
    }

    /** Adds a measurement at {@code step} unless one at a later or equal step exists (a rerun's first polls). */
    void add(long step, double loss, double codeSpread, double minCoverage) {
        if (!points.isEmpty() && points.get(points.size() - 1).step() >= step && Double.isNaN(minCoverage)) {
            return;
        }
        points.add(new TrainingChart.Point(step, loss, codeSpread, minCoverage));
    }

    long lastStep() {
        return points.isEmpty() ? 0 : points.get(points.size() - 1).step();
    }

    void save() throws IOException {
        ArrayNode out = JSON.createArrayNode();
        for (TrainingChart.Point p : points) {
            var n = out.addObject().put("step", p.step());
            put(n, "loss", p.loss());
            put(n, "codeSpread", p.codeSpread());
            put(n, "minCoverage", p.minCoverage());
        }
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), out);
    }

    private static void put(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        }
    }

    Path draw(String title, Path png) throws IOException {
        return TrainingChart.write(title, points, png);
    }
}
