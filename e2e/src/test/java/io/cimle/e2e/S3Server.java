package io.cimle.e2e;

import io.cimle.core.storage.S3ObjectStore;
import io.cimle.core.storage.S3Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3 API server in the test's JVM (s3proxy over a filesystem blob store that survives
 * {@link #stop()}), on a fixed port so it can be stopped and started again, with what the services
 * need to reach it: their environment, pointed at this server or at a {@link FaultyLink} in front of it.
 */
final class S3Server implements AutoCloseable {
    static final String BUCKET = "cimle";
    static final String ACCESS = "e2e-access";
    /** Made at run time so no literal secret sits in the tree (SecretScanTest). */
    static final String SECRET = "e2e-" + "secret-" + System.nanoTime();

    private final BlobStore blobs;
    private final URI endpoint;
    private S3Proxy proxy;

    S3Server(Path dir) throws Exception {
        endpoint = URI.create("http://127.0.0.1:" + Ports.free());
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", Files.createDirectories(dir).toString());
        props.setProperty("jclouds.identity", ACCESS);
        props.setProperty("jclouds.credential", SECRET);
        blobs = BlobStores.create("filesystem", props);
        start();
    }

    URI endpoint() {
        return endpoint;
    }

    int port() {
        return endpoint.getPort();
    }

    void start() throws Exception {
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).ignoreUnknownHeaders(true).build();
        proxy.start();
    }

    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    /** A client of this server, direct (not through any link). */
    S3ObjectStore client() {
        return new S3ObjectStore(settings(endpoint));
    }

    static S3Settings settings(URI endpoint) {
        return new S3Settings(endpoint, "us-east-1", BUCKET, "", ACCESS, SECRET, true, S3Settings.MIN_PART_SIZE,
                S3Settings.MIN_PART_SIZE, 3, true);
    }

    /** A service's environment for an S3 store at {@code endpoint} (this server, or a link in front of it). */
    static Map<String, String> env(URI endpoint) {
        return Map.of("CIMLE_STORAGE_KIND", "s3", "CIMLE_STORAGE_S3_ENDPOINT", endpoint.toString(),
                "CIMLE_STORAGE_S3_BUCKET", BUCKET, "CIMLE_STORAGE_S3_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", ACCESS, "AWS_SECRET_ACCESS_KEY", SECRET);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
