package io.cimle.core.data;

import java.util.Objects;

/** A training pair: a layout and the photo it describes, of equal size. */
public record Example(String id, ClassMap layout, RgbImage photo) {
    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(photo, "photo");
        if (layout.width() != photo.width() || layout.height() != photo.height()) {
            throw new IllegalArgumentException("example '" + id + "': layout " + layout.width() + "x" + layout.height()
                    + " and photo " + photo.width() + "x" + photo.height() + " differ in size");
        }
    }
}
