package io.cimle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The latency-throughput curves of the Kafka section as one PNG: samples/s against p50 (solid) and p99 (dashed). */
final class CurvePlot {
    private CurvePlot() {
    }

    /** {@code curves}: per preset, its "direct" and "kafka" arrays of points (see {@link ClosedLoop}). */
    static Path write(JsonNode curves, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560).title("Latency against throughput (closed loop, "
                + "1..N clients)").xAxisTitle("samples / s").yAxisTitle("latency ms (p50 solid, p99 dashed)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (var preset : (Iterable<java.util.Map.Entry<String, JsonNode>>) curves::fields) {
            for (String path : List.of("direct", "kafka", "echo")) {
                JsonNode points = preset.getValue().path(path);
                if (!points.isArray() || points.isEmpty()) {
                    continue;
                }
                for (String q : List.of("p50_ms", "p99_ms")) {
                    List<Double> x = new ArrayList<>();
                    List<Double> y = new ArrayList<>();
                    for (JsonNode p : points) {
                        x.add(p.path("samples_per_s").asDouble());
                        y.add(Math.max(0.01, p.path(q).asDouble()));
                    }
                    XYSeries s = chart.addSeries(preset.getKey() + " " + path + " " + q.replace("_ms", ""), x, y);
                    s.setMarker(SeriesMarkers.CIRCLE);
                    if (q.equals("p99_ms")) {
                        s.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                                java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                    }
                }
            }
        }
        String name = file.toString().endsWith(".png") ? file.toString().substring(0, file.toString().length() - 4)
                : file.toString();
        BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
        return Path.of(name + ".png");
    }
}
