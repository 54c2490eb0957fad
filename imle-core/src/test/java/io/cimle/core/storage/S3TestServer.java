package io.cimle.core.storage;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * An S3 API server for tests (s3proxy over its in-memory {@code transient} store, a fresh one per test),
 * like s3proxy's own {@code S3ProxyExtension} except that a conditional replace ({@code If-Match: <etag>})
 * is atomic, as on S3.
 *
 * <p>Why: s3proxy 4.1.0 does not hand {@code If-Match} to its nio2 stores ({@code transient},
 * {@code filesystem}). {@code S3ProxyHandler.handlePutBlob} checks it itself (S3ProxyHandler.java:4235-4237
 * in the 4.1.0 jar's line table: {@code checkConditionalWrite(blobStore.blobMetadataIfPresent(..))}, whose
 * source says "Emulate conditional put for backends without native support. Note: this is a non-atomic
 * operation (HEAD then PUT)") and then calls {@code blobStore.putBlob} (:4316); {@code
 * AbstractNio2BlobStore.putBlob} passes on only {@code If-None-Match} (AbstractNio2BlobStore.java:884) and
 * replaces the object unconditionally ({@code Files.move(.., REPLACE_EXISTING)}, :1096). Same code upstream
 * at gaul/s3proxy f8859ad6: S3ProxyHandler.java:4190-4196, AbstractNio2BlobStore.java:873 and 1085. Two
 * PUTs carrying the same {@code If-Match} can both pass the check and the later write replaces the
 * earlier: a lost compare-and-set, which {@link CheckpointStore} relies on to move {@code LATEST} only
 * forward (S3 itself compares and writes atomically). {@code If-None-Match: *} is atomic there: the store
 * publishes by a hard link, which fails if the key exists (AbstractNio2BlobStore.java:1058). A store
 * wrapper cannot make the handler's check atomic, but it sees the {@code If-Match} again in {@code
 * putBlob}: {@link AtomicIfMatch} compares it there, holding a per-key lock around the write. No newer
 * s3proxy than 4.1.0 is on Maven Central (checked 2026-12-07).
 */
final class S3TestServer implements BeforeEachCallback, AfterEachCallback {
    static final String ACCESS = "test-access";
    static final String SECRET = "test-secret";

    private final Duration checkToWriteDelay;
    private S3Proxy proxy;
    private BlobStore blobs;
    private URI uri;

    S3TestServer() {
        this(Duration.ZERO);
    }

    /** {@code checkToWriteDelay}: a pause after s3proxy's own If-Match check, to widen its race in tests. */
    S3TestServer(Duration checkToWriteDelay) {
        this.checkToWriteDelay = checkToWriteDelay;
    }

    URI getUri() {
        return uri;
    }

    String getAccessKey() {
        return ACCESS;
    }

    String getSecretKey() {
        return SECRET;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Properties props = new Properties();
        props.setProperty(Constants.PROPERTY_IDENTITY, ACCESS);
        props.setProperty(Constants.PROPERTY_CREDENTIAL, SECRET);
        blobs = new AtomicIfMatch(BlobStores.create("transient", props), checkToWriteDelay);
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).stopTimeout(0).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        uri = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        proxy.stop();
        blobs.close();
    }

    /** Compares a PUT's {@code If-Match} with the current ETag and writes, as one step per key. */
    static final class AtomicIfMatch extends ForwardingBlobStore {
        private final Map<String, Object> locks = new ConcurrentHashMap<>();
        private final Duration checkToWriteDelay;

        AtomicIfMatch(BlobStore delegate, Duration checkToWriteDelay) {
            super(delegate);
            this.checkToWriteDelay = checkToWriteDelay;
        }

        @Override
        public HeadObjectResponse blobMetadataIfPresent(String container, String name) {
            HeadObjectResponse current = delegate().blobMetadataIfPresent(container, name);
            if (!checkToWriteDelay.isZero()) {
                try {
                    Thread.sleep(checkToWriteDelay.toMillis()); // between the handler's check and its write
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return current;
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
            synchronized (locks.computeIfAbsent(request.bucket() + "/" + request.key(), k -> new Object())) {
                String ifMatch = request.ifMatch();
                if (ifMatch != null && !ifMatch.equals("*")) {
                    HeadObjectResponse current = delegate().blobMetadataIfPresent(request.bucket(), request.key());
                    if (current == null || current.eTag() == null || !unquoted(current.eTag()).equals(unquoted(ifMatch))) {
                        throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
                    }
                }
                return super.putBlob(request, in);
            }
        }

        private static String unquoted(String eTag) {
            return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                    ? eTag.substring(1, eTag.length() - 1) : eTag;
        }
    }
}
