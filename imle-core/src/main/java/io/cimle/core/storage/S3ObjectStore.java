package io.cimle.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3-compatible bucket through the AWS SDK v2. A PUT becomes visible only when complete,
 * so readers never see partial objects; large objects go up in parts, and a failed multipart upload is
 * aborted. The SDK retries transient errors with exponential backoff ({@link S3Settings#maxAttempts()}).
 *
 * <p>Conditional writes use S3's own: {@code If-None-Match: *} (create only if absent) and {@code If-Match:
 * <etag>} (replace only that value), answered 412 when another writer got there first (AWS S3 since 2024,
 * MinIO, s3proxy). A server that refuses them (501 Not Implemented) gets a read-compare-write instead, with
 * one warning in the log: correct against a writer that is not racing at that very moment, not against one
 * that is, which is what fencing needs; use a server with conditional writes where two trainers may run.
 */
public final class S3ObjectStore implements ObjectStore {
    private static final System.Logger LOG = System.getLogger(S3ObjectStore.class.getName());
    private final S3Settings settings;
    private final S3Client s3;
    private volatile boolean conditionalWrites = true;

    public S3ObjectStore(S3Settings settings) {
        this.settings = settings;
        AwsCredentialsProvider credentials = settings.accessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                // Apache's client: its I/O failures reach the retry strategy (a closed keep-alive
                // connection is retried), and it checks pooled connections before reuse.
                .httpClient(ApacheHttpClient.create())
                .forcePathStyle(settings.pathStyle())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(settings.maxAttempts())));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        this.s3 = builder.build();
        if (settings.createBucket()) {
            ensureBucket();
        }
    }

    private void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(settings.bucket()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                s3.createBucket(b -> b.bucket(settings.bucket()));
            } else {
                throw e;
            }
        }
    }

    private String fullKey(String key) {
        ObjectStore.checkKey(key);
        return settings.prefix() + key;
    }

    @Override
    public void put(String key, InputStream content, long length) throws IOException {
        String k = fullKey(key);
        try {
            if (length >= 0 && length < settings.multipartThreshold()) {
                byte[] bytes = content.readAllBytes();
                if (bytes.length != length) {
                    throw new IOException("expected " + length + " bytes for " + key + ", got " + bytes.length);
                }
                s3.putObject(b -> b.bucket(settings.bucket()).key(k), RequestBody.fromBytes(bytes));
            } else {
                putMultipart(k, content, length);
            }
        } catch (SdkException e) {
            throw new IOException("S3 put of " + uri(key) + " failed: " + e.getMessage(), e);
        }
    }

    private void putMultipart(String k, InputStream content, long length) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(settings.bucket()).key(k)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            long total = 0;
            while (true) {
                byte[] part = content.readNBytes((int) settings.partSize());
                if (part.length == 0 && partNumber > 1) {
                    break;
                }
                total += part.length;
                int n = partNumber;
                String etag = s3.uploadPart(b -> b.bucket(settings.bucket()).key(k).uploadId(uploadId).partNumber(n),
                        RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                partNumber++;
                if (part.length < settings.partSize()) {
                    break;
                }
            }
            if (length >= 0 && total != length) {
                throw new IOException("expected " + length + " bytes for " + k + ", got " + total);
            }
            s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(k).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(k).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    @Override
    public Optional<InputStream> get(String key) throws IOException {
        try {
            return Optional.of(s3.getObject(b -> b.bucket(settings.bucket()).key(fullKey(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("S3 get of " + uri(key) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Tagged> getTagged(String key) throws IOException {
        try {
            var response = s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(fullKey(key)));
            return Optional.of(new Tagged(response.asByteArray(), response.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("S3 get of " + uri(key) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean putIf(String key, byte[] content, String expectedTag) throws IOException {
        String k = fullKey(key);
        if (conditionalWrites) {
            try {
                s3.putObject(b -> {
                    b.bucket(settings.bucket()).key(k);
                    if (expectedTag == null) {
                        b.ifNoneMatch("*");
                    } else {
                        b.ifMatch(expectedTag);
                    }
                }, RequestBody.fromBytes(content));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 409) {
                    return false; // precondition failed, or a concurrent conditional write on the key
                }
                if (e.statusCode() != 501) {
                    throw new IOException("S3 conditional put of " + uri(key) + " failed: " + e.getMessage(), e);
                }
                conditionalWrites = false;
                LOG.log(System.Logger.Level.WARNING, "the S3 server at {0} refuses conditional writes ({1}): "
                        + "falling back to read-compare-write, which does not fence a writer racing at the same moment",
                        settings.endpoint(), e.getMessage());
            } catch (SdkException e) {
                throw new IOException("S3 conditional put of " + uri(key) + " failed: " + e.getMessage(), e);
            }
        }
        String current = getTagged(key).map(Tagged::tag).orElse(null);
        if (!Objects.equals(current, expectedTag)) {
            return false;
        }
        put(key, content);
        return true;
    }

    @Override
    public boolean exists(String key) throws IOException {
        return size(key) >= 0;
    }

    @Override
    public long size(String key) throws IOException {
        try {
            return s3.headObject(b -> b.bucket(settings.bucket()).key(fullKey(key))).contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw new IOException("S3 head of " + uri(key) + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 head of " + uri(key) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            String full = settings.prefix() + prefix;
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(full))) {
                for (S3Object o : page.contents()) {
                    keys.add(o.key().substring(settings.prefix().length()));
                }
            }
            keys.sort(null);
            return keys;
        } catch (SdkException e) {
            throw new IOException("S3 list of " + uri(prefix.isEmpty() ? "_" : prefix) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(fullKey(key)));
        } catch (SdkException e) {
            throw new IOException("S3 delete of " + uri(key) + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String uri(String key) {
        return "s3://" + settings.bucket() + "/" + settings.prefix() + key;
    }

    @Override
    public void close() {
        s3.close();
    }

}
