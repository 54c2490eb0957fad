package io.cimle.generator;

import com.google.protobuf.ByteString;
import io.cimle.core.model.LatentCode;
import io.cimle.generator.GenerateResource.CodeJson;
import io.cimle.generator.GenerateResource.GenerateJson;
import io.cimle.generator.GenerateResource.InterpolationJson;
import io.cimle.generator.GenerateResource.StyleJson;
import io.cimle.wire.v1.InstanceEncoding;
import io.cimle.wire.v1.Interpolation;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.StyleReference;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * The HTTP API's JSON and the wire messages, both ways: a {@link GenerateJson} body as the
 * {@link LayoutRequest} a Kafka client would send (so both take one road from there), a code as
 * {@link CodeJson}. No state: {@link GenerateResource} does the serving.
 */
final class HttpJson {

    private HttpJson() {
    }

    /** A code as JSON: its seed, or its values where there are at most {@code maxInlineValues} of them. */
    static CodeJson toJson(LatentCode code, int maxInlineValues) {
        if (code.hasSeed()) {
            return new CodeJson(code.seed(), code.shape(), null);
        }
        return new CodeJson(null, code.shape(), code.size() <= maxInlineValues ? code.values() : null);
    }

    /** The request a JSON body asks for; IllegalArgumentException (the message for the client) where it is malformed. */
    static LayoutRequest toRequest(GenerateJson body) {
        byte[] png;
        try {
            png = Base64.getDecoder().decode(body.layoutPng().replaceFirst("^data:image/png;base64,", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layoutPng is not valid base64");
        }
        LayoutEncoding encoding = encoding(body.encoding());
        Layout.Builder layout = Layout.newBuilder().setPng(ByteString.copyFrom(png)).setEncoding(encoding)
                .setPalette(body.palette() == null ? "" : body.palette());
        if (body.instancesPng() != null) {
            layout.setInstancePng(ByteString.copyFrom(base64("instancesPng", body.instancesPng())))
                    .setInstanceEncoding(instanceEncoding(body.instanceEncoding()));
        }
        LayoutRequest.Builder b = LayoutRequest.newBuilder().setRequestId("http-" + UUID.randomUUID()).setLayout(layout)
                .setNumSamples(body.numSamples() == null ? 1 : body.numSamples())
                .setModelVersion(body.modelVersion() == null ? "" : body.modelVersion());
        if (body.style() != null) {
            StyleJson st = body.style();
            if (st.layoutPng() == null || st.photo() == null) {
                throw new IllegalArgumentException("style needs layoutPng and photo (base64)");
            }
            b.setStyleReference(StyleReference.newBuilder()
                    .setLayout(Layout.newBuilder().setPng(ByteString.copyFrom(base64("style.layoutPng", st.layoutPng())))
                            .setEncoding(encoding).setPalette(body.palette() == null ? "" : body.palette()))
                    .setPhoto(ByteString.copyFrom(base64("style.photo", st.photo())))
                    .setCandidates(st.candidates() == null ? 0 : st.candidates())
                    .setSeed(st.seed() == null ? 0 : st.seed()));
        }
        return withCodes(b, body);
    }

    private static byte[] base64(String field, String value) {
        try {
            return Base64.getDecoder().decode(value.replaceFirst("^data:image/[a-z]+;base64,", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not valid base64");
        }
    }

    private static InstanceEncoding instanceEncoding(String name) {
        return switch (name == null ? "instance_ids" : name.toLowerCase(Locale.ROOT)) {
            case "instance_ids", "ids" -> InstanceEncoding.INSTANCE_IDS;
            case "cityscapes_instance_ids" -> InstanceEncoding.CITYSCAPES_INSTANCE_IDS;
            default -> throw new IllegalArgumentException("instanceEncoding '" + name
                    + "' is unknown: use instance_ids or cityscapes_instance_ids");
        };
    }

    private static LayoutEncoding encoding(String name) {
        return switch (name == null ? "class_ids" : name.toLowerCase(Locale.ROOT)) {
            case "class_ids", "ids" -> LayoutEncoding.CLASS_IDS;
            case "colors", "colours" -> LayoutEncoding.COLORS;
            case "cityscapes_label_ids" -> LayoutEncoding.CITYSCAPES_LABEL_IDS;
            default -> throw new IllegalArgumentException("encoding '" + name
                    + "' is unknown: use class_ids, colors or cityscapes_label_ids");
        };
    }

    private static LayoutRequest withCodes(LayoutRequest.Builder b, GenerateJson body) {
        if (body.seed() != null) {
            b.setSeed(body.seed()).setHasSeed(true);
        }
        if (body.codes() != null) {
            for (int i = 0; i < body.codes().size(); i++) {
                if (body.codes().get(i) == null) {
                    // A JSON null in the list: the client's mistake, not a server error.
                    throw new IllegalArgumentException("codes[" + i + "] is null: give a seed or shape and values");
                }
                b.addCodes(toWire(body.codes().get(i)));
            }
        }
        if (body.interpolation() != null) {
            InterpolationJson in = body.interpolation();
            Interpolation.Builder ib = Interpolation.newBuilder().setSteps(in.steps())
                    .setMethod(in.method() == null ? "" : in.method());
            if (in.from() != null) {
                ib.setFrom(toWire(in.from()));
            }
            if (in.to() != null) {
                ib.setTo(toWire(in.to()));
            }
            b.setInterpolation(ib);
        }
        return b.build();
    }

    private static io.cimle.wire.v1.LatentCode toWire(CodeJson c) {
        var w = io.cimle.wire.v1.LatentCode.newBuilder();
        if (c.shape() != null) {
            for (int s : c.shape()) {
                w.addShape(s);
            }
        }
        if (c.seed() != null) {
            w.setSeed(c.seed()).setHasSeed(true);
        }
        if (c.values() != null) {
            for (float v : c.values()) {
                w.addValues(v);
            }
        }
        return w.build();
    }
}
