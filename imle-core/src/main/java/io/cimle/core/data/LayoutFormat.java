package io.cimle.core.data;

/** How a layout PNG encodes its classes. */
public enum LayoutFormat {
    /**
     * Single-channel 8/16-bit grey or palette-index PNG holding train ids of the label set; the value
     * {@code numClasses} and 255 mean void. Grey stored as RGB with r = g = b is accepted too.
     */
    CLASS_IDS,
    /** RGB(A) PNG whose colours are the label set's class colours (void colours -> void). */
    COLORS,
    /** Cityscapes label ids 0..33 (grey), mapped to the 19 train ids; ignored ids -> void. */
    CITYSCAPES_LABEL_IDS,
    /**
     * GTA-5 (Playing for Data): palette PNG whose indices are Cityscapes label ids. RGB files fall back
     * to a colour lookup in the label set.
     */
    GTA5,
    /** BDD100K: single-channel train ids (19 Cityscapes classes), 255 = void. */
    BDD100K
}
