package io.cimle.core.storage;

import java.net.URI;

/**
 * Where and how to reach an S3-compatible store.
 *
 * @param endpoint          custom endpoint (MinIO, s3proxy, Ceph...), or null for AWS itself
 * @param region            signing region; "us-east-1" works for most S3-compatible servers
 * @param bucket            bucket holding all objects; created on start if missing and allowed
 * @param prefix            key prefix inside the bucket ("" for none), e.g. "cimle/"
 * @param accessKeyId       static credentials, or null to use the SDK's default chain
 *                          (environment, profile, web identity, instance role): never put literals in code
 * @param secretAccessKey   matching secret, or null
 * @param pathStyle         path-style addressing (needed by most self-hosted servers)
 * @param multipartThreshold objects at least this large are uploaded in parts (checkpoints of the
 *                          paper preset are hundreds of MB)
 * @param partSize          part size for multipart uploads (S3 minimum 5 MiB)
 * @param maxAttempts       SDK attempts per request, with exponential backoff between them
 */
public record S3Settings(URI endpoint, String region, String bucket, String prefix, String accessKeyId,
        String secretAccessKey, boolean pathStyle, long multipartThreshold, long partSize, int maxAttempts,
        boolean createBucket) {

    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 bucket must be set");
        }
        region = region == null || region.isBlank() ? "us-east-1" : region;
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, got " + partSize);
        }
        if (multipartThreshold < partSize) {
            throw new IllegalArgumentException("multipart threshold " + multipartThreshold + " is below the part size " + partSize);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if ((accessKeyId == null) != (secretAccessKey == null)) {
            throw new IllegalArgumentException("give both the S3 access key id and the secret, or neither");
        }
    }

    /** Defaults: 16 MiB threshold, 8 MiB parts, 5 attempts, path-style, create the bucket. */
    public static S3Settings of(URI endpoint, String bucket, String accessKeyId, String secretAccessKey) {
        return new S3Settings(endpoint, "us-east-1", bucket, "", accessKeyId, secretAccessKey, true,
                16L * 1024 * 1024, 8L * 1024 * 1024, 5, true);
    }

    @Override
    public String toString() {
        // Never print the secret.
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                + ", credentials=" + (accessKeyId == null ? "default chain" : "static") + "]";
    }
}
