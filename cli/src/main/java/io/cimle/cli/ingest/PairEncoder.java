package io.cimle.cli.ingest;

import com.google.protobuf.ByteString;
import io.cimle.core.data.Example;
import io.cimle.core.data.Images;
import io.cimle.core.data.InstanceMaps;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.wire.v1.InstanceEncoding;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.Photo;

/**
 * One read {@link Example} -> one {@link LayoutImagePair}: the layout as a class-id PNG (train ids,
 * void = 255; {@link LayoutEncoding#CLASS_IDS}) and the photo as PNG or JPEG.
 */
public final class PairEncoder {
    /** JPEG quality for photos: high enough that the trainer's targets keep their texture. */
    public static final float JPEG_QUALITY = 0.92f;

    public enum PhotoFormat {
        PNG("image/png"), JPEG("image/jpeg");

        final String mediaType;

        PhotoFormat(String mediaType) {
            this.mediaType = mediaType;
        }
    }

    private final String dataset;
    private final PhotoFormat photoFormat;

    public PairEncoder(String dataset, PhotoFormat photoFormat) {
        this.dataset = dataset;
        this.photoFormat = photoFormat;
    }

    /** The stable record key: re-ingesting the same data set gives the same ids, so the trainer stores each once. */
    public String id(String pairName) {
        return dataset + "/" + pairName;
    }

    public LayoutImagePair encode(String pairName, Example example) {
        byte[] layout = LayoutEncoder.classIdsPng(example.layout());
        byte[] photo = switch (photoFormat) {
            case PNG -> Images.encodePng(example.photo());
            case JPEG -> Images.encodeJpeg(example.photo(), JPEG_QUALITY);
        };
        int w = example.layout().width();
        int h = example.layout().height();
        Layout.Builder wireLayout = Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                .setPng(ByteString.copyFrom(layout)).setWidth(w).setHeight(h);
        if (example.layout().hasInstances()) {
            // Ingest sends the instances as read (a Cityscapes map is already checked against its labels).
            wireLayout.setInstancePng(ByteString.copyFrom(InstanceMaps.png(example.layout())))
                    .setInstanceEncoding(InstanceEncoding.INSTANCE_IDS);
        }
        return LayoutImagePair.newBuilder().setId(id(pairName)).setDataset(dataset).setLayout(wireLayout)
                .setPhoto(Photo.newBuilder().setData(ByteString.copyFrom(photo)).setMediaType(photoFormat.mediaType)
                        .setWidth(w).setHeight(h))
                .setProducedAtMs(System.currentTimeMillis()).build();
    }
}
