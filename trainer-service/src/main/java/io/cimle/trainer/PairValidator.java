package io.cimle.trainer;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Example;
import io.cimle.core.data.ImageException;
import io.cimle.core.data.Images;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LayoutDecoder;
import io.cimle.core.data.LayoutException;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.LayoutLimits;
import io.cimle.core.data.RgbImage;
import io.cimle.core.data.UnknownLabelPolicy;
import io.cimle.service.Rejection;
import io.cimle.service.WireInstances;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.LayoutImagePair;

/**
 * Decodes and checks a training pair and brings it to the model's size: layout by nearest
 * neighbour, photo by area averaging. Anything wrong becomes a {@link Rejection} naming the problem.
 */
public final class PairValidator {
    private final LabelSet labels;
    private final int width;
    private final int height;
    private final int maxBytes;
    private final UnknownLabelPolicy policy;

    public PairValidator(LabelSet labels, int width, int height, int maxBytes, UnknownLabelPolicy policy) {
        this.labels = labels;
        this.width = width;
        this.height = height;
        this.maxBytes = maxBytes;
        this.policy = policy;
    }

    public Example validate(LayoutImagePair pair) throws Rejection {
        if (pair.getId().isBlank()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "pair id is missing");
        }
        if (pair.getId().length() > 300) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "pair id is longer than 300 characters");
        }
        if (!pair.hasLayout() || pair.getLayout().getPng().isEmpty()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "pair " + pair.getId() + " has no inline layout PNG");
        }
        if (!pair.hasPhoto() || pair.getPhoto().getData().isEmpty()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "pair " + pair.getId() + " has no inline photo");
        }
        if (pair.getLayout().getPng().size() > maxBytes || pair.getPhoto().getData().size() > maxBytes) {
            throw new Rejection(ErrorCode.PAYLOAD_TOO_LARGE, "pair " + pair.getId() + ": layout or photo above "
                    + maxBytes + " bytes");
        }
        LayoutFormat format = switch (pair.getLayout().getEncoding()) {
            case COLORS -> LayoutFormat.COLORS;
            case CITYSCAPES_LABEL_IDS -> LayoutFormat.CITYSCAPES_LABEL_IDS;
            default -> LayoutFormat.CLASS_IDS;
        };
        LayoutLimits bounds = LayoutLimits.DEFAULT.withTarget(width, height);
        ClassMap layout;
        try {
            // Decode at the original size first so the layout/photo size check compares like with like.
            layout = new LayoutDecoder(labels, format, policy, LayoutLimits.DEFAULT).decode(
                    pair.getLayout().getPng().toByteArray(), WireInstances.png(pair.getLayout(), maxBytes),
                    WireInstances.format(pair.getLayout()));
        } catch (LayoutException e) {
            throw Rejection.of(e, "pair " + pair.getId() + ": " + e.getMessage());
        }
        RgbImage photo;
        try {
            photo = Images.decode(pair.getPhoto().getData().toByteArray(), LayoutLimits.DEFAULT);
        } catch (ImageException e) {
            throw Rejection.of(e, "pair " + pair.getId() + ": photo: " + e.getMessage());
        }
        if (photo.width() != layout.width() || photo.height() != layout.height()) {
            throw new Rejection(ErrorCode.SIZE_MISMATCH, "pair " + pair.getId() + ": layout is " + layout.width() + "x"
                    + layout.height() + " but photo is " + photo.width() + "x" + photo.height());
        }
        if (bounds.resizes()) {
            layout = layout.resizeNearest(width, height);
            photo = Images.resize(photo, width, height);
        }
        return new Example(pair.getId(), layout, photo);
    }
}
