package io.cimle.service.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Object storage configuration shared by the services ({@code cimle.storage.*}): where pairs, checkpoints
 * and claim-checked images live. Every key can be set by environment variable ({@code CIMLE_STORAGE_KIND}...).
 */
@ConfigMapping(prefix = "cimle.storage")
public interface StorageSettings {

    /** filesystem (the default for local runs) or s3. */
    @WithDefault("filesystem")
    String kind();

    /** Root folder of the filesystem store (unused with s3). */
    @WithDefault(".run/store")
    String root();

    /** The S3-compatible store, used when {@link #kind()} is s3. */
    S3 s3();

    interface S3 {
        /** Custom endpoint (MinIO, s3proxy, Ceph...); unset for AWS itself. */
        Optional<String> endpoint();

        /** Bucket holding all objects. */
        @WithDefault("cimle")
        String bucket();

        /** Signing region; us-east-1 works for most S3-compatible servers. */
        @WithDefault("us-east-1")
        String region();

        /** Key prefix inside the bucket, e.g. "cimle/"; empty for none. */
        Optional<String> prefix();

        /** Static credentials; leave unset to use the AWS default chain (env, profile, role). */
        Optional<String> accessKeyId();

        /** Secret matching {@link #accessKeyId()}; set both or neither. */
        Optional<String> secretAccessKey();

        /** Objects at least this large are uploaded in parts, in bytes (16 MiB). */
        @WithDefault("16777216")
        long multipartThreshold();

        /** Part size of multipart uploads, in bytes (8 MiB; S3's minimum is 5 MiB). */
        @WithDefault("8388608")
        long partSize();

        /** SDK attempts per request, with exponential backoff between them. */
        @WithDefault("5")
        int maxAttempts();
    }
}
