package io.cimle.core.data;

/** What a data set reader does with a pair that is incomplete, unreadable or mismatched in size. */
public enum BadPairPolicy {
    /** Report it in the {@link DatasetReport} and go on. */
    SKIP,
    /** Stop with a {@link DatasetException} naming the pair. */
    FAIL
}
