package io.cimle.generator;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.Sampler;
import io.cimle.core.training.StyleSearch;
import io.cimle.core.training.distance.Distance;
import io.cimle.core.training.distance.PyramidL1Distance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the samples of several requests on one model as few batched forward passes as the batch
 * limit allows: small requests share a pass, large ones are split. Memory per pass is bounded by
 * {@code cimle.generator.max-batch}; each pass lives in its own native sub-manager.
 */
@ApplicationScoped
public class SampleRunner {

    @Inject
    GeneratorSettings settings;
    @Inject
    GeneratorMetrics metrics;

    /** The images of each request, in request order; {@code modelMs} receives the time of the passes. */
    public record Result(List<List<RgbImage>> images, long modelMs) {
    }

    /** The n codes whose samples of {@code layout} come nearest {@code photo}, nearest first (see StyleSearch). */
    public List<LatentCode> findStyle(LoadedModel model, ClassMap layout, RgbImage photo, int candidates, long seed,
                                      int n) {
        GeneratorNetwork net = model.network();
        try (Distance distance = PyramidL1Distance.defaults()) {
            synchronized (net) {
                return new StyleSearch(net, distance, Math.max(1, settings.generator().maxBatch()), model.bank())
                        .nearest(layout, photo, candidates, seed, n).stream().map(StyleSearch.Found::code).toList();
            }
        }
    }

    public Result run(LoadedModel model, List<PlannedRequest> requests) {
        List<ClassMap> layouts = new ArrayList<>();
        List<LatentCode> codes = new ArrayList<>();
        for (PlannedRequest r : requests) {
            for (LatentCode c : r.codes()) {
                layouts.add(r.layout());
                // An interpolation's frames were planned between the looks its ends stand for (RequestPlanner).
                codes.add(model.bank() == null || r.interpolationTs() != null ? c : model.bank().transform(r.layout(), c));
            }
        }
        List<RgbImage> all = new ArrayList<>(codes.size());
        long t0 = System.nanoTime();
        GeneratorNetwork net = model.network();
        // One pass at a time per model: bounded memory, and libtorch's threads already use all cores.
        synchronized (net) {
            Sampler.wrap(net, Math.max(1, settings.generator().maxBatch())).forEachBatch(layouts, codes,
                    (start, images, nanos) -> {
                        long c0 = System.nanoTime();
                        all.addAll(ImageTensors.toImages(images));
                        metrics.forwardPass((int) images.getShape().get(0), nanos + System.nanoTime() - c0);
                    });
        }
        long modelMs = (System.nanoTime() - t0) / 1_000_000;
        List<List<RgbImage>> perRequest = new ArrayList<>();
        int at = 0;
        for (PlannedRequest r : requests) {
            perRequest.add(all.subList(at, at + r.size()));
            at += r.size();
        }
        return new Result(perRequest, modelMs);
    }
}
