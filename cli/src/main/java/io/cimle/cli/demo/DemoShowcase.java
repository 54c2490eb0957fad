package io.cimle.cli.demo;

import com.google.protobuf.ByteString;
import io.cimle.cli.client.SampleClient;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Example;
import io.cimle.core.data.Images;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.RgbImage;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.Interpolation;
import io.cimle.wire.v1.LatentCode;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * What the demo shows, each asked of the generator over Kafka: many samples per held-out layout,
 * interpolation between two codes, one code on several layouts, a scene edit; then the evaluation and
 * the training picture, written as the gallery.
 */
final class DemoShowcase {
    /** What the gallery describes: the model and how it was trained. */
    record Model(String name, String version, String preset, int width, int height, String noise, int pairs) {
    }

    private final SampleClient client;
    private final Model model;
    private final DemoData data;
    private final int samples;

    DemoShowcase(SampleClient client, Model model, DemoData data, int samples) {
        this.client = client;
        this.model = model;
        this.data = data;
        this.samples = samples;
    }

    /** Writes the gallery for the data's held-out layouts to {@code out}; returns its index and report. */
    DemoCommand.Result write(Path out, TrainingHistory history, Path logs) throws Exception {
        LabelSet labels = data.labels();
        Gallery g = new Gallery(out, labels);
        String version = model.version();
        List<Example> heldOut = data.heldOut();
        List<ClassMap> maps = new ArrayList<>();
        List<List<RgbImage>> all = new ArrayList<>();
        List<List<GeneratedSample>> replies = new ArrayList<>();
        g.section("Many samples per layout");
        g.paragraph("Each row: a held-out layout (never trained on), its real photo, then " + samples
                + " samples the generator returned for one request over Kafka. The data: " + data.describe()
                + "; a layout admits every look.");
        for (int i = 0; i < heldOut.size(); i++) {
            Example scene = heldOut.get(i);
            SampleClient.Answer a = ask(request("demo-" + version + "-layout-" + i, scene.layout())
                    .setNumSamples(samples).setSeed(1000 + i).setHasSeed(true).build());
            List<RgbImage> images = decode(a.samples());
            g.samplesRow(String.format("layout-%02d", i), scene.layout(), scene.photo(), images);
            maps.add(scene.layout());
            all.add(images);
            replies.add(a.samples());
        }

        // Interpolation between two samples of the first layout: day to night where the data has light.
        List<GeneratedSample> first = replies.get(0);
        int[] pair = data.interpolationEnds(0, all.get(0));
        SampleClient.Answer interp = ask(request("demo-" + version + "-interpolation", maps.get(0))
                .setInterpolation(Interpolation.newBuilder().setFrom(first.get(pair[0]).getCode())
                        .setTo(first.get(pair[1]).getCode()).setSteps(9).setMethod("slerp")).build());
        g.strip("interpolation.png", "Interpolation between two codes",
                "Nine frames from sample " + pair[0] + " to sample " + pair[1] + " of layout-00 (slerp between their latent codes).",
                decode(interp.samples()));

        // One code (style) applied to every held-out layout.
        LatentCode style = first.get(pair[1]).getCode();
        List<RgbImage> styled = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            styled.addAll(decode(ask(request("demo-" + version + "-style-" + i, maps.get(i)).addCodes(style).build()).samples()));
        }
        g.strip("same-style.png", "One latent code, several layouts",
                "The code of sample " + pair[1] + " of layout-00 applied to each held-out layout: the same style on different scenes.",
                styled);

        // Scene edit: change the layout, keep the code.
        ClassMap edited = SceneEdit.apply(maps.get(0), labels);
        List<RgbImage> edit = new ArrayList<>();
        edit.add(LayoutEncoder.colourImage(maps.get(0), labels));
        edit.add(decode(ask(request("demo-" + version + "-edit-before", maps.get(0)).addCodes(style).build()).samples()).get(0));
        edit.add(LayoutEncoder.colourImage(edited, labels));
        edit.add(decode(ask(request("demo-" + version + "-edit-after", edited).addCodes(style).build()).samples()).get(0));
        g.strip("scene-edit.png", "Scene editing", "Layout, its sample; the edited layout (the buildings of the left "
                + "third become vegetation, the cars move right), the sample with the same code: the edit changes the "
                + "scene, not its style.", edit);

        DemoData.Evaluation report = data.evaluate(all, styled);
        g.evaluation(report.markdown());
        history.add(history.lastStep(), Double.NaN, Double.NaN, report.minCoverage());
        history.save();
        history.draw("Training: loss, code spread and coverage", out.resolve("training.png"));
        g.figure("Training", "training.png", "The loss and the code spread as trainer-service reported them while it "
                + "trained (over every run of the demo), and the least covered factor the evaluation below measured "
                + "at the end: a falling loss with coverage still rising says train longer (--minutes).");
        Path index = g.write("cimle demo: diverse images from semantic layouts",
                "Model " + model.name() + " version " + version + " (" + model.preset() + ", " + model.width() + "x"
                        + model.height() + ", noise " + model.noise() + "), trained by trainer-service on "
                        + model.pairs() + " pairs of " + data.describe() + " produced to Kafka; every image "
                        + "below was generated by generator-service and received over Kafka.");
        Files.writeString(out.resolve("evaluation.md"), report.markdown());
        return new DemoCommand.Result(index, g.imageCount(), version, report, logs);
    }

    private SampleClient.Answer ask(LayoutRequest r) throws TimeoutException {
        SampleClient.Answer a = client.request(r, Duration.ofMinutes(3));
        if (!a.ok()) {
            throw new IllegalStateException("the generator refused " + r.getRequestId() + ": " + a.error().getCode() + " "
                    + a.error().getMessage());
        }
        return a;
    }

    private static LayoutRequest.Builder request(String id, ClassMap map) {
        return LayoutRequest.newBuilder().setRequestId(id).setClientSentAtMs(System.currentTimeMillis())
                .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                        .setPng(ByteString.copyFrom(LayoutEncoder.classIdsPng(map))).setWidth(map.width()).setHeight(map.height()));
    }

    private static List<RgbImage> decode(List<GeneratedSample> replies) {
        return replies.stream().map(s -> Images.decode(s.getImage().toByteArray())).toList();
    }
}
