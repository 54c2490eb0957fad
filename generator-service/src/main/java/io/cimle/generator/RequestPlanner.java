package io.cimle.generator;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.ImageException;
import io.cimle.core.data.Images;
import io.cimle.core.data.LayoutDecoder;
import io.cimle.core.data.LayoutException;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.LayoutLimits;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.InterpolationMethod;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.training.StyleSearch;
import io.cimle.service.Rejection;
import io.cimle.service.WireInstances;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.ImageFormat;
import io.cimle.wire.v1.Interpolation;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.StyleReference;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Checks a request against the limits and the model, and turns it into codes to run (or, for a style
 * reference, the search that finds them). Pure: no forward pass runs here, the batcher runs them all.
 * Every way a request can be wrong ends here as a {@link Rejection} with its error code and a sentence.
 */
@ApplicationScoped
public class RequestPlanner {
    private static final SecureRandom SEEDS = new SecureRandom();

    @Inject
    GeneratorSettings settings;

    public PlannedRequest plan(LayoutRequest request, LoadedModel model, long receivedAtMs) throws Rejection {
        GeneratorSettings.Serving limits = settings.generator();
        if (request.getRequestId().isBlank()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "request_id is missing");
        }
        if (request.getRequestId().length() > 200) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "request_id is longer than 200 characters");
        }
        if (!request.hasLayout()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "layout is missing");
        }
        ClassMap layout = decodeLayout(request.getLayout(), model);
        ModelConfig config = model.config();
        List<LatentCode> codes = new ArrayList<>();
        float[] ts = null;
        PlannedRequest.StyleQuery style = null;
        if (request.hasInterpolation()) {
            Interpolation in = request.getInterpolation();
            int steps = in.getSteps();
            if (steps < 2) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "interpolation needs at least 2 steps, got " + steps);
            }
            if (steps > limits.maxSamples()) {
                throw new Rejection(ErrorCode.TOO_MANY_SAMPLES,
                        "interpolation asks for " + steps + " steps; the limit is " + limits.maxSamples());
            }
            if (!in.hasFrom() || !in.hasTo()) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "interpolation needs both 'from' and 'to' codes");
            }
            InterpolationMethod method = method(in.getMethod());
            LatentCode a = resolve(in.getFrom(), config, 0);
            LatentCode b = resolve(in.getTo(), config, 1);
            if (model.bank() != null) {
                // The walk goes between the looks the ends stand for (the runner passes these frames on as they
                // are); between two Gaussian codes it would jump from matched code to matched code.
                a = model.bank().transform(layout, a);
                b = model.bank().transform(layout, b);
            }
            codes.addAll(LatentCodes.interpolation(a, b, steps, method));
            ts = new float[steps];
            for (int i = 0; i < steps; i++) {
                ts[i] = (float) LatentCodes.interpolationT(i, steps);
            }
        } else if (request.getCodesCount() > 0) {
            if (request.getCodesCount() > limits.maxSamples()) {
                throw new Rejection(ErrorCode.TOO_MANY_SAMPLES,
                        request.getCodesCount() + " codes given; the limit is " + limits.maxSamples());
            }
            for (int i = 0; i < request.getCodesCount(); i++) {
                codes.add(resolve(request.getCodes(i), config, i));
            }
        } else if (request.hasStyleReference()) {
            style = styleOf(request.getStyleReference(), Math.max(1, request.getNumSamples()), model);
        } else {
            int n = request.getNumSamples();
            if (n < 1) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "num_samples must be at least 1, got " + n);
            }
            if (n > limits.maxSamples()) {
                throw new Rejection(ErrorCode.TOO_MANY_SAMPLES,
                        "num_samples is " + n + "; the limit is " + limits.maxSamples());
            }
            long seed = request.getHasSeed() ? request.getSeed() : SEEDS.nextLong();
            // Drawing a code's values is exact Box-Muller in Java, costly for a per-pixel code: the codes
            // are independent, so they are drawn on all cores.
            codes.addAll(IntStream.range(0, n).parallel().mapToObj(i -> LatentCodes.sample(config, seed, i)).toList());
        }
        ImageFormat format = request.getReply().getFormat() == ImageFormat.JPEG ? ImageFormat.JPEG : ImageFormat.PNG;
        int quality = request.getReply().getJpegQuality();
        if (quality < 0 || quality > 100) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "jpeg_quality must be 1..100, got " + quality);
        }
        return new PlannedRequest(request.getRequestId(), layout, codes, ts, format, quality == 0 ? 90 : quality,
                request.getReply().getOmitCodes(), receivedAtMs, style);
    }

    /** The search for the codes nearest a reference pair's photo (see StyleSearch), the reference checked like a request. */
    private PlannedRequest.StyleQuery styleOf(StyleReference reference, int n, LoadedModel model) throws Rejection {
        GeneratorSettings.Serving limits = settings.generator();
        if (n > limits.maxSamples()) {
            throw new Rejection(ErrorCode.TOO_MANY_SAMPLES, "num_samples is " + n + "; the limit is "
                    + limits.maxSamples());
        }
        int candidates = reference.getCandidates() == 0 ? StyleSearch.DEFAULT_CANDIDATES : reference.getCandidates();
        if (candidates < n) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "style_reference.candidates (" + candidates
                    + ") must be at least num_samples (" + n + ")");
        }
        if (candidates > limits.maxStyleCandidates()) {
            throw new Rejection(ErrorCode.TOO_MANY_SAMPLES, "style_reference.candidates is " + candidates
                    + "; the limit is " + limits.maxStyleCandidates());
        }
        if (!reference.hasLayout()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "style_reference.layout is missing");
        }
        ClassMap layout = decodeLayout(reference.getLayout(), model);
        if (reference.getPhoto().isEmpty()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "style_reference.photo is empty");
        }
        if (reference.getPhoto().size() > limits.maxLayoutBytes()) {
            throw new Rejection(ErrorCode.PAYLOAD_TOO_LARGE, "style_reference.photo is "
                    + reference.getPhoto().size() + " bytes; the limit is " + limits.maxLayoutBytes());
        }
        RgbImage photo;
        try {
            photo = Images.decode(reference.getPhoto().toByteArray(), new LayoutLimits(limits.maxLayoutBytes(),
                    limits.maxLayoutPixels(), limits.maxLayoutSide(), 0, 0));
        } catch (ImageException e) {
            throw Rejection.of(e, "style_reference.photo: " + e.getMessage());
        }
        if (photo.width() != layout.width() || photo.height() != layout.height()) {
            throw new Rejection(ErrorCode.SIZE_MISMATCH, "style_reference.photo is " + photo.width() + "x"
                    + photo.height() + " but its layout is " + layout.width() + "x" + layout.height());
        }
        return new PlannedRequest.StyleQuery(layout, photo, candidates, reference.getSeed(), n);
    }

    private ClassMap decodeLayout(Layout layout, LoadedModel model) throws Rejection {
        GeneratorSettings.Serving limits = settings.generator();
        if (!layout.getPngUri().isEmpty()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST,
                    "layouts by URI are not accepted by this generator; send the PNG inline (it is small)");
        }
        if (layout.getPng().isEmpty()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "layout.png is empty");
        }
        if (layout.getPng().size() > limits.maxLayoutBytes()) {
            throw new Rejection(ErrorCode.PAYLOAD_TOO_LARGE, "layout PNG is " + layout.getPng().size()
                    + " bytes; the limit is " + limits.maxLayoutBytes());
        }
        LayoutFormat format = switch (layout.getEncoding()) {
            case CLASS_IDS, LAYOUT_ENCODING_UNSPECIFIED -> LayoutFormat.CLASS_IDS;
            case COLORS -> LayoutFormat.COLORS;
            case CITYSCAPES_LABEL_IDS -> LayoutFormat.CITYSCAPES_LABEL_IDS;
            case UNRECOGNIZED -> throw new Rejection(ErrorCode.INVALID_REQUEST,
                    "layout.encoding " + layout.getEncodingValue() + " is not known to this generator");
        };
        String palette = layout.getPalette();
        if (format == LayoutFormat.COLORS && !palette.isEmpty() && !palette.equals(model.labels().name())) {
            throw new Rejection(ErrorCode.LAYOUT_UNKNOWN_CLASS, "palette '" + palette
                    + "' is not the model's; this model uses '" + model.labels().name() + "'");
        }
        ModelConfig config = model.config();
        LayoutLimits bounds = new LayoutLimits(limits.maxLayoutBytes(), limits.maxLayoutPixels(), limits.maxLayoutSide(),
                config.width(), config.height());
        try {
            return new LayoutDecoder(model.labels(), format, settings.generator().unknownLabels(), bounds).decode(
                    layout.getPng().toByteArray(), WireInstances.png(layout, limits.maxLayoutBytes()),
                    WireInstances.format(layout));
        } catch (LayoutException e) {
            throw Rejection.of(e, e.getMessage());
        }
    }

    private static LatentCode resolve(io.cimle.wire.v1.LatentCode wire, ModelConfig config, int position)
            throws Rejection {
        if (wire.getHasSeed() && wire.getShapeCount() == 0 && wire.getValuesCount() == 0) {
            // A seed alone means the model's own code of that seed.
            return LatentCode.fromSeed(wire.getSeed(), LatentCodes.shapeFor(config));
        }
        try {
            return LatentCodes.resolve(WireCodes.fromWire(wire), config, position);
        } catch (IllegalArgumentException e) {
            throw new Rejection(ErrorCode.BAD_LATENT_CODE, e.getMessage());
        }
    }

    private static InterpolationMethod method(String name) throws Rejection {
        return switch (name.isEmpty() ? "linear" : name.toLowerCase(Locale.ROOT)) {
            case "linear" -> InterpolationMethod.LINEAR;
            case "slerp" -> InterpolationMethod.SLERP;
            default -> throw new Rejection(ErrorCode.INVALID_REQUEST,
                    "interpolation method '" + name + "' is unknown: use linear or slerp");
        };
    }
}
