package io.cimle.service.storage;

/**
 * What an S3 store does on start when its bucket is missing. Not configuration but a property of the service:
 * {@link ObjectStoreProducer} uses {@link #CREATE_IF_MISSING} unless the service produces its own
 * {@code BucketPolicy} bean (the generator, which only needs the bucket the trainer writes to, produces
 * {@link #MUST_EXIST}).
 */
public enum BucketPolicy {
    /** Create the bucket on start when it does not exist (needs s3:CreateBucket). */
    CREATE_IF_MISSING,
    /** Never create it: a missing bucket shows up as failed storage calls and a DOWN readiness check. */
    MUST_EXIST
}
