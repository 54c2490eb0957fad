package io.cimle.service.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.core.storage.S3Settings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cimle.storage.* keys and defaults the services and the deploy manifests rely on. */
class StorageSettingsTest {

    static StorageSettings settings(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(StorageSettings.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return config.getConfigMapping(StorageSettings.class);
    }

    @Test
    void defaults() {
        StorageSettings s = settings(Map.of());
        assertEquals("filesystem", s.kind());
        assertEquals(".run/store", s.root());
        assertEquals(Optional.empty(), s.s3().endpoint());
        assertEquals("cimle", s.s3().bucket());
        assertEquals("us-east-1", s.s3().region());
        assertEquals(Optional.empty(), s.s3().prefix());
        assertEquals(Optional.empty(), s.s3().accessKeyId());
        assertEquals(Optional.empty(), s.s3().secretAccessKey());
        assertEquals(16L << 20, s.s3().multipartThreshold());
        assertEquals(8L << 20, s.s3().partSize());
        assertEquals(5, s.s3().maxAttempts());
    }

    @Test
    void everyKeyMapsToTheS3Settings() {
        StorageSettings s = settings(Map.of("cimle.storage.kind", "s3", "cimle.storage.s3.endpoint", "http://127.0.0.1:9000",
                "cimle.storage.s3.bucket", "b", "cimle.storage.s3.region", "eu-west-1", "cimle.storage.s3.prefix", "cimle",
                "cimle.storage.s3.access-key-id", "id", "cimle.storage.s3.secret-access-key", "secret",
                "cimle.storage.s3.multipart-threshold", "33554432", "cimle.storage.s3.part-size", "16777216",
                "cimle.storage.s3.max-attempts", "3"));
        assertEquals("s3", s.kind());
        S3Settings s3 = ObjectStoreProducer.s3Settings(s.s3(), BucketPolicy.CREATE_IF_MISSING);
        assertEquals(URI.create("http://127.0.0.1:9000"), s3.endpoint());
        assertEquals("b", s3.bucket());
        assertEquals("eu-west-1", s3.region());
        assertEquals("cimle/", s3.prefix());
        assertEquals("id", s3.accessKeyId());
        assertEquals("secret", s3.secretAccessKey());
        assertEquals(32L << 20, s3.multipartThreshold());
        assertEquals(16L << 20, s3.partSize());
        assertEquals(3, s3.maxAttempts());
        assertTrue(s3.pathStyle());
        assertTrue(s3.createBucket());
        assertFalse(ObjectStoreProducer.s3Settings(s.s3(), BucketPolicy.MUST_EXIST).createBucket());
    }

    @Test
    void unsetEndpointAndCredentialsMeanAwsAndTheDefaultChain() {
        S3Settings s3 = ObjectStoreProducer.s3Settings(settings(Map.of()).s3(), BucketPolicy.CREATE_IF_MISSING);
        assertNull(s3.endpoint());
        assertNull(s3.accessKeyId());
        assertNull(s3.secretAccessKey());
        assertEquals("", s3.prefix());
    }
}
