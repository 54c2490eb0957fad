package io.cimle.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.GradMode;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LayoutTensors;
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

    public Result run(LoadedModel model, List<PlannedRequest> requests) {
        List<ClassMap> layouts = new ArrayList<>();
        List<LatentCode> codes = new ArrayList<>();
        for (PlannedRequest r : requests) {
            for (LatentCode c : r.codes()) {
                layouts.add(r.layout());
                codes.add(c);
            }
        }
        List<RgbImage> all = new ArrayList<>(codes.size());
        int batch = Math.max(1, settings.generator().maxBatch());
        long t0 = System.nanoTime();
        GeneratorNetwork net = model.network();
        // One pass at a time per model: bounded memory, and libtorch's threads already use all cores.
        synchronized (net) {
            for (int from = 0; from < codes.size(); from += batch) {
                int to = Math.min(codes.size(), from + batch);
                long p0 = System.nanoTime();
                int a = from;
                int b = to;
                // Worker threads record graphs by default: sampling must not (memory, speed).
                all.addAll(GradMode.withoutGradients(() -> {
                    try (NDManager m = net.manager().newSubManager()) {
                        NDArray layout = LayoutTensors.oneHot(m, layouts.subList(a, b)); // (B, C, H, W)
                        NDArray noise = net.noiseFor(codes.subList(a, b), m);
                        NDArray images = net.forward(layout, noise, false); // (B, 3, H, W) in [-1, 1]
                        return ImageTensors.toImages(images);
                    }
                }));
                metrics.forwardPass(to - from, System.nanoTime() - p0);
            }
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
