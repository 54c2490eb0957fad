package io.cimle.cli.demo;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.RgbImage;
import io.cimle.core.eval.EvalReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes the demo's out/ folder: PNG grids and an index.html that explains them. */
final class Gallery {
    private static final int SCALE = 4;
    private final Path out;
    private final LabelSet labels;
    private final StringBuilder body = new StringBuilder();
    private int images;

    Gallery(Path out, LabelSet labels) throws IOException {
        this.out = Files.createDirectories(out);
        this.labels = labels;
    }

    int imageCount() {
        return images;
    }

    /** One row: the layout, the real photo it came with, then n samples. */
    void samplesRow(String name, ClassMap layout, RgbImage truth, List<RgbImage> samples) throws IOException {
        List<RgbImage> row = new ArrayList<>();
        row.add(LayoutEncoder.colourImage(layout, labels));
        row.add(truth);
        row.addAll(samples);
        String file = name + ".png";
        Grids.write(Grids.tile(row, row.size(), SCALE, 4), out.resolve(file));
        images += samples.size();
        body.append("<figure><img src=\"").append(file).append("\" alt=\"").append(name)
                .append("\"><figcaption>").append(name).append(": layout, real photo, then ").append(samples.size())
                .append(" samples from one request</figcaption></figure>\n");
    }

    void strip(String file, String title, String caption, List<RgbImage> frames) throws IOException {
        Grids.write(Grids.tile(frames, frames.size(), SCALE, 4), out.resolve(file));
        images += frames.size();
        section(title);
        body.append("<figure><img src=\"").append(file).append("\" alt=\"").append(title).append("\"><figcaption>")
                .append(caption).append("</figcaption></figure>\n");
    }

    /** A picture already written under out/ (not sample images), in a section of its own. */
    void figure(String title, String file, String caption) {
        section(title);
        body.append("<figure><img style=\"image-rendering:auto\" src=\"").append(file).append("\" alt=\"")
                .append(title).append("\"><figcaption>").append(caption).append("</figcaption></figure>\n");
    }

    void section(String title) {
        body.append("<h2>").append(title).append("</h2>\n");
    }

    void paragraph(String html) {
        body.append("<p>").append(html).append("</p>\n");
    }

    void evaluation(List<EvalReport> reports) {
        section("Evaluation on held-out layouts");
        body.append("<table><tr><th>model</th><th>layouts</th><th>samples/layout</th><th>mode coverage</th>"
                + "<th>freq. distance (TV)</th><th>fidelity</th><th>pairwise diversity</th></tr>\n");
        for (EvalReport r : reports) {
            body.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%.3f</td><td>%.3f</td>"
                    + "<td>%.3f</td><td>%.4f</td></tr>%n", r.name(), r.layouts(), r.samplesPerLayout(), r.coverage(),
                    r.frequencyDistance(), r.fidelity(), r.diversity()));
        }
        body.append("</table>\n");
        if (!reports.isEmpty()) {
            paragraph("Coverage: share of each layout's true appearance modes shown by at least one sample. "
                    + "Frequency distance: total variation between sample and true mode frequencies (0 is best). "
                    + "Fidelity: share of samples whose every region is near a real prototype colour (not a blurry mean). "
                    + "Diversity metric: " + reports.get(0).diversityMetric() + ".");
        }
    }

    Path write(String title, String summary) throws IOException {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title><style>"
                + "body{font:14px/1.45 system-ui,sans-serif;background:#111418;color:#e6e9ee;max-width:1400px;margin:auto;padding:20px}"
                + "img{image-rendering:pixelated;max-width:100%}figure{margin:12px 0}figcaption{color:#8b95a3}"
                + "table{border-collapse:collapse}td,th{border:1px solid #333;padding:4px 10px;text-align:right}"
                + "h2{margin-top:32px;border-bottom:1px solid #333}</style></head><body><h1>" + title + "</h1><p>" + summary
                + "</p>\n" + body + "</body></html>\n";
        Path index = out.resolve("index.html");
        Files.writeString(index, html, StandardCharsets.UTF_8);
        return index;
    }
}
