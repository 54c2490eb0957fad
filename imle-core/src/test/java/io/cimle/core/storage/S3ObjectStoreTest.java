package io.cimle.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.util.Random;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same contract against a real S3 API server (s3proxy, in-memory backend) through the AWS SDK. */
class S3ObjectStoreTest extends ObjectStoreContract {
    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().withCredentials("test-access", "test-secret")
            .withBlobStoreProvider("transient").build();

    private S3ObjectStore store;

    @Override
    ObjectStore store() {
        store = new S3ObjectStore(new S3Settings(S3.getUri(), "us-east-1", "cimle-test", "prefix/", S3.getAccessKey(),
                S3.getSecretKey(), true, S3Settings.MIN_PART_SIZE, S3Settings.MIN_PART_SIZE, 3, true));
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void largeObjectsGoUpInParts() throws Exception {
        ObjectStore s = store();
        byte[] big = new byte[(int) (2.5 * S3Settings.MIN_PART_SIZE)];
        new Random(3).nextBytes(big);
        s.put("big.bin", new ByteArrayInputStream(big), big.length);
        assertEquals(big.length, s.size("big.bin"));
        assertArrayEquals(big, s.getBytes("big.bin").orElseThrow());
    }

    @Test
    void settingsNeverPrintTheSecret() {
        S3Settings settings = S3Settings.of(S3.getUri(), "b", "id", "very-secret");
        org.junit.jupiter.api.Assertions.assertFalse(settings.toString().contains("very-secret"));
    }
}
