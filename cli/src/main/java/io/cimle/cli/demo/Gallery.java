package io.cimle.cli.demo;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.RgbImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** The evaluation's markdown (a table, then notes) as HTML. */
    void evaluation(String markdown) {
        section("Evaluation on held-out layouts");
        StringBuilder table = new StringBuilder("<table>\n");
        StringBuilder notes = new StringBuilder();
        boolean header = true;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("|")) {
                if (line.matches("[|\\s:-]+")) {
                    continue; // the separator row
                }
                String cell = header ? "th" : "td";
                table.append("<tr>");
                for (String c : line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("\\|")) {
                    table.append('<').append(cell).append('>').append(escape(c.strip())).append("</").append(cell)
                            .append('>');
                }
                table.append("</tr>\n");
                header = false;
            } else if (!line.isBlank()) {
                notes.append(escape(line)).append("<br>\n");
            }
        }
        body.append(table).append("</table>\n");
        paragraph(notes + "Coverage: share of each factor's looks that some sample of a layout (or an instance) shows. "
                + "Frequencies: total variation between the samples' looks and the data's (0 is best). Fidelity: share "
                + "of regions near a real look (not a blurry mean).");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
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
