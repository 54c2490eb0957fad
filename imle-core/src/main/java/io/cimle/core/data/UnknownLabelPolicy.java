package io.cimle.core.data;

/** What a decoder does with a class id or colour the label set does not know. */
public enum UnknownLabelPolicy {
    /** Map it to the void/other channel (the layout encoding's "1 - sum of the others"). */
    VOID,
    /** Refuse the layout with a {@link LayoutException} of reason {@code UNKNOWN_CLASS}. */
    REJECT
}
