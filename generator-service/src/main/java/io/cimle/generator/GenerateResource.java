package io.cimle.generator;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.cimle.core.data.LabelSet;
import io.cimle.service.model.ModelSettings;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.LayoutRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The synchronous HTTP face of the generator (the web page uses it). A request takes the same road as a
 * Kafka one: admitted by the {@link RequestProcessor} (model, limits, plan), run by the {@link MicroBatcher}
 * (sharing passes with Kafka requests), its {@link Outcome} turned into JSON here; errors carry the same
 * codes. Beyond max-in-flight unanswered requests it answers 503 with Retry-After, never an unbounded queue.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class GenerateResource {

    /** Seconds a refused client is asked to wait before trying again (a pass takes milliseconds to a second). */
    static final int RETRY_AFTER_SECONDS = 1;

    @Inject
    ModelRegistry models;
    @Inject
    RequestProcessor processor;
    @Inject
    MicroBatcher batcher;
    @Inject
    GeneratorSettings settings;
    @Inject
    ModelSettings model;
    @Inject
    GeneratorMetrics metrics;

    /**
     * A code as JSON: a seed (with the model's shape implied) or explicit values with their shape. The
     * seed is a 64-bit integer, written as a string (as protobuf's JSON mapping writes int64): JavaScript
     * reads JSON numbers as doubles, and a rounded seed draws another code. Both forms are read.
     */
    public record CodeJson(@JsonFormat(shape = JsonFormat.Shape.STRING) Long seed, int[] shape, float[] values) {
    }

    public record InterpolationJson(CodeJson from, CodeJson to, int steps, String method) {
    }

    /**
     * @param layoutPng    base64 PNG; encoding "class_ids" (default), "colors" or "cityscapes_label_ids"
     * @param instancesPng optional base64 PNG of the layout's instance map (which object each pixel belongs to);
     *                     instanceEncoding "instance_ids" (default: 0 none) or "cityscapes_instance_ids"
     */
    public record GenerateJson(String layoutPng, String encoding, String palette, Integer numSamples,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Long seed,
            List<CodeJson> codes, InterpolationJson interpolation, String modelVersion, StyleJson style,
            String instancesPng, String instanceEncoding) {
    }

    /**
     * Style from a reference pair: {@code layoutPng} (base64, the request's encoding) and {@code photo}
     * (base64 PNG or JPEG); see LayoutRequest.style_reference.
     */
    public record StyleJson(String layoutPng, String photo, Integer candidates,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Long seed) {
    }

    public record SampleJson(int index, String png, CodeJson code, Float t) {
    }

    /** @param pass the forward pass that made the samples (Kafka replies carry the same number in their timings) */
    public record ResultJson(String requestId, String modelVersion, long modelMs, long pass, List<SampleJson> samples) {
    }

    public record ErrorJson(String code, String message) {
    }

    public record ClassJson(int id, String name, int[] color) {
    }

    public record ModelJson(String name, String version, long step, String preset, int width, int height,
            String noiseMode, String labels, List<ClassJson> classes, int maxSamples, long term) {
    }

    @GET
    @Path("/model")
    @Operation(summary = "The loaded model: version, preset, size, classes and palette")
    public Response model() {
        Optional<LoadedModel> current = models.current();
        if (current.isEmpty()) {
            // Not a request that failed: the page polls this until a model is there.
            return response(Outcome.failed(ErrorCode.NO_MODEL_LOADED, "no model is loaded yet"));
        }
        LoadedModel m = current.get();
        LabelSet labels = m.labels();
        List<ClassJson> classes = new ArrayList<>();
        for (int c = 0; c < labels.numClasses(); c++) {
            classes.add(new ClassJson(c, labels.classNames().get(c), labels.colours().get(c)));
        }
        return Response.ok(new ModelJson(model.name(), m.version(), m.step(), m.config().presetName(),
                m.config().width(), m.config().height(), m.config().noiseMode().name(), labels.name(), classes,
                settings.generator().maxSamples(), m.term())).build();
    }

    @POST
    @Path("/generate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Generate samples for a layout: n from a seed, explicit codes, or an interpolation")
    public Response generate(GenerateJson body) throws InterruptedException {
        long received = System.currentTimeMillis();
        if (body == null || body.layoutPng() == null) {
            return failed(Outcome.failed(ErrorCode.INVALID_REQUEST, "layoutPng (base64 PNG) is required"));
        }
        LayoutRequest request;
        try {
            request = HttpJson.toRequest(body);
        } catch (IllegalArgumentException e) {
            return failed(Outcome.failed(ErrorCode.INVALID_REQUEST, e.getMessage()));
        }
        Admission admission = processor.admit(request, received);
        if (admission instanceof Admission.Refused refused) {
            return failed(refused.failure());
        }
        Admission.Ready ready = (Admission.Ready) admission;
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        MicroBatcher.Work work = new MicroBatcher.Work(ready.request(), ready.lease(), outcome -> {
            done.complete(outcome);
            return CompletableFuture.completedFuture(null);
        });
        if (!batcher.offer(work)) {
            ready.lease().close(); // refused: the lease is still this call's
            return failed(Outcome.failed(ErrorCode.OVERLOADED, settings.generator().maxInFlight()
                    + " requests are being answered (max-in-flight): retry after " + RETRY_AFTER_SECONDS + " s"));
        }
        Outcome outcome;
        try {
            outcome = done.get(settings.generator().requests().unansweredMaxAgeMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return failed(Outcome.failed(ErrorCode.INTERNAL, "no answer: " + e));
        }
        if (outcome instanceof Outcome.Failed f) {
            return failed(f);
        }
        Outcome.Samples s = (Outcome.Samples) outcome;
        PlannedRequest planned = s.request();
        List<SampleJson> samples = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            samples.add(new SampleJson(i, Base64.getEncoder().encodeToString(s.images().get(i).bytes()),
                    HttpJson.toJson(planned.codes().get(i), settings.generator().maxInlineCodeValues()), planned.interpolationTs() == null ? null : planned.interpolationTs()[i]));
        }
        return Response.ok(new ResultJson(planned.requestId(), s.modelVersion(), s.modelMs(), s.pass(), samples)).build();
    }

    /** A generate request that failed: counted as the Kafka path counts its error replies, then answered. */
    private Response failed(Outcome.Failed f) {
        metrics.requestFailed(f.code());
        return response(f);
    }

    /** A coded error as its HTTP status and JSON; 503s say when to come back. */
    private static Response response(Outcome.Failed f) {
        Response.Status status = switch (f.code()) {
            case NO_MODEL_LOADED, OVERLOADED -> Response.Status.SERVICE_UNAVAILABLE;
            case UNKNOWN_MODEL_VERSION -> Response.Status.NOT_FOUND;
            case PAYLOAD_TOO_LARGE -> Response.Status.REQUEST_ENTITY_TOO_LARGE;
            case INTERNAL -> Response.Status.INTERNAL_SERVER_ERROR;
            default -> Response.Status.BAD_REQUEST;
        };
        Response.ResponseBuilder r = Response.status(status).entity(new ErrorJson(f.code().name(), f.message()));
        if (status == Response.Status.SERVICE_UNAVAILABLE) {
            r.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return r.build();
    }
}
