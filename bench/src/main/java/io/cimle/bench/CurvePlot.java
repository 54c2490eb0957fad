package io.cimle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency-throughput curves of the Kafka section as one PNG, a panel per preset: in each, the direct
 * call (blue) and the service through Kafka (orange), p50 a solid line with dots, p99 dashed with diamonds,
 * every point labelled with its client count and joined in load order (1, 2, 4, ... clients), and the bare
 * echo's p50 (the transport's floor, grey) as a horizontal line, so a reader can tell each curve from the
 * picture alone.
 */
final class CurvePlot {
    private static final int PANEL_WIDTH = 640;
    private static final int PANEL_HEIGHT = 480;
    private static final int LEGEND_HEIGHT = 44;
    private static final Map<String, Color> COLOURS = Map.of("direct", new Color(31, 119, 180), "kafka",
            new Color(230, 120, 20), "echo", new Color(120, 120, 120));
    private static final Map<String, String> NAMES = Map.of("direct", "direct call", "kafka", "through Kafka");

    private CurvePlot() {
    }

    /** {@code curves}: per preset, its "direct", "kafka" and "echo" arrays of points (see {@link ClosedLoop}). */
    static Path write(JsonNode curves, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<BufferedImage> panels = new ArrayList<>();
        for (var preset : (Iterable<Map.Entry<String, JsonNode>>) curves::fields) {
            XYChart chart = panel(preset.getKey(), preset.getValue());
            if (chart != null) {
                panels.add(BitmapEncoder.getBufferedImage(chart));
            }
        }
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no curves to plot");
        }
        BufferedImage all = new BufferedImage(PANEL_WIDTH * panels.size(), PANEL_HEIGHT + LEGEND_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), i * PANEL_WIDTH, 0, null);
        }
        legend(g, PANEL_HEIGHT + LEGEND_HEIGHT / 2);
        g.dispose();
        Path png = file.toString().endsWith(".png") ? file : Path.of(file + ".png");
        ImageIO.write(all, "png", png.toFile());
        return png;
    }

    /** One row: a sample of each line with its meaning. */
    private static void legend(Graphics2D g, int y) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        int x = 40;
        for (String[] entry : new String[][] {{"direct", "p50", "direct call, p50"}, {"direct", "p99", "direct call, p99"},
                {"kafka", "p50", "through Kafka, p50"}, {"kafka", "p99", "through Kafka, p99"},
                {"echo", "floor", "bare echo p50: the transport's floor"}}) {
            g.setColor(COLOURS.get(entry[0]));
            g.setStroke(entry[1].equals("p50") ? new BasicStroke(2.5f) : new BasicStroke(2f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, entry[1].equals("p99") ? new float[] {6f, 4f} : new float[] {2f, 3f}, 0f));
            g.drawLine(x, y, x + 44, y);
            if (!entry[1].equals("floor")) {
                int r = 5;
                if (entry[1].equals("p50")) {
                    g.fillOval(x + 22 - r, y - r, 2 * r, 2 * r);
                } else {
                    g.fillPolygon(new int[] {x + 22, x + 22 + r + 1, x + 22, x + 22 - r - 1},
                            new int[] {y - r - 1, y, y + r + 1, y}, 4);
                }
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(entry[2], x + 54, y + 5);
            x += 64 + g.getFontMetrics().stringWidth(entry[2]) + 30;
        }
        g.drawString("numbers at the points: closed-loop clients (load order 1, 2, 4, ...)", x, y + 5);
    }

    private static XYChart panel(String preset, JsonNode curves) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(preset + ": latency against throughput (closed loop)").xAxisTitle("samples / s")
                .yAxisTitle("latency ms, log (p50 solid, p99 dashed)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false); // one legend for all panels, drawn below them
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        boolean any = false;
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        for (String path : List.of("direct", "kafka")) {
            JsonNode points = curves.path(path);
            if (!points.isArray() || points.isEmpty()) {
                continue;
            }
            any = true;
            for (String q : List.of("p50_ms", "p99_ms")) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (JsonNode p : points) { // in load order: 1, 2, 4, ... clients
                    x.add(p.path("samples_per_s").asDouble());
                    minX = Math.min(minX, x.get(x.size() - 1));
                    maxX = Math.max(maxX, x.get(x.size() - 1));
                    y.add(Math.max(0.01, p.path(q).asDouble()));
                    if (q.equals("p50_ms")) {
                        chart.addAnnotation(new AnnotationText(p.path("clients").asText() + " cl.",
                                x.get(x.size() - 1), y.get(y.size() - 1) * 1.12, false));
                    }
                }
                boolean p50 = q.equals("p50_ms");
                XYSeries s = chart.addSeries(NAMES.get(path) + (p50 ? " p50" : " p99"), x, y);
                s.setLineColor(COLOURS.get(path));
                s.setMarkerColor(COLOURS.get(path));
                s.setMarker(p50 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                s.setLineStyle(p50 ? SeriesLines.SOLID : new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            }
        }
        JsonNode echo = curves.path("echo");
        if (any && echo.isArray() && !echo.isEmpty()) {
            double floor = Math.max(0.01, echo.get(0).path("p50_ms").asDouble());
            XYSeries s = chart.addSeries("bare echo p50 (the transport's floor)", List.of(minX * 0.95, maxX * 1.05),
                    List.of(floor, floor));
            s.setLineColor(COLOURS.get("echo"));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
        }
        return any ? chart : null;
    }

    /** Draws a saved bench result again: {@code CurvePlot RESULT.json OUT.png} (the kafka section's presets). */
    public static void main(String[] args) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
        JsonNode kafka = root.has("sections") ? root.path("sections").path("kafka") : root.path("kafka");
        System.out.println("wrote " + write(kafka.path("presets"), Path.of(args[1])));
    }
}
