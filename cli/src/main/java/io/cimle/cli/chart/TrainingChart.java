package io.cimle.cli.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A training run in one picture, against gradient steps: the loss (left axis), and on the right axis in
 * [0, 1] the code spread (how much samples of one layout differ; near 0 means the code is ignored) and, where
 * it was measured, the least covered factor (the share of a factor's appearances the samples show). Whether to
 * train longer reads off it: a falling loss with coverage still rising says yes.
 */
public final class TrainingChart {
    /** One measurement; NaN where a figure was not taken at that step. */
    public record Point(long step, double loss, double codeSpread, double minCoverage) {
    }

    private TrainingChart() {
    }

    public static Path write(String title, List<Point> points, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("gradient steps")
                .yAxisTitle("loss").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.setYAxisGroupTitle(1, "code spread, least covered factor (0 to 1)");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(1, 1.0);
        add(chart, "loss (left axis)", points, Point::loss, new Color(60, 60, 60), 0, SeriesLines.SOLID, SeriesMarkers.NONE);
        add(chart, "code spread (right axis)", points, Point::codeSpread, new Color(31, 119, 180), 1,
                new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f),
                SeriesMarkers.DIAMOND);
        add(chart, "least covered factor (right axis)", points, Point::minCoverage, new Color(230, 120, 20), 1,
                SeriesLines.SOLID, SeriesMarkers.CIRCLE);
        String name = png.toString().endsWith(".png") ? png.toString().substring(0, png.toString().length() - 4)
                : png.toString();
        BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
        return Path.of(name + ".png");
    }

    private static void add(XYChart chart, String name, List<Point> points, ToDoubleFunction<Point> value, Color colour,
                            int axis, BasicStroke line, Marker marker) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Point p : points) {
            double v = value.applyAsDouble(p);
            if (Double.isFinite(v)) {
                x.add((double) p.step());
                y.add(v);
            }
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setYAxisGroup(axis);
        s.setLineColor(colour);
        s.setMarkerColor(colour);
        s.setLineStyle(line);
        s.setMarker(marker);
    }
}
