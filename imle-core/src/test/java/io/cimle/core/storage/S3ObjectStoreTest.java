package io.cimle.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same contract against a real S3 API server (s3proxy, in-memory backend: {@link S3TestServer}) through the AWS SDK. */
class S3ObjectStoreTest extends ObjectStoreContract {
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer(); // s3proxy with If-Match made atomic, as on S3

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
    void aPutWhoseConnectionTheServerDropsIsRetried() throws Exception {
        // A proxy in front of s3proxy that closes the first PUT's connection before any answer, as a server
        // does with a keep-alive connection it has just closed.
        AtomicInteger dropped = new AtomicInteger();
        try (ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!proxy.isClosed()) {
                    try {
                        Socket client = proxy.accept();
                        new Thread(() -> relay(client, dropped)).start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            new S3ObjectStore(settings(S3.getUri(), true)).close(); // the bucket, made directly
            // Through the proxy the first request is the object's PUT (the bucket is not checked again).
            try (S3ObjectStore s = new S3ObjectStore(settings(URI.create("http://127.0.0.1:" + proxy.getLocalPort()),
                    false))) {
                byte[] body = "survives a dropped connection".getBytes(StandardCharsets.UTF_8);
                s.put("dropped.txt", new ByteArrayInputStream(body), body.length);
                assertArrayEquals(body, s.getBytes("dropped.txt").orElseThrow());
            }
        }
        assertEquals(1, dropped.get(), "the proxy dropped the first PUT's connection");
    }

    private static S3Settings settings(URI endpoint, boolean createBucket) {
        return new S3Settings(endpoint, "us-east-1", "cimle-drop", "", S3.getAccessKey(), S3.getSecretKey(), true,
                S3Settings.MIN_PART_SIZE, S3Settings.MIN_PART_SIZE, 3, createBucket);
    }

    /** Drops the connection if it carries the first PUT; else relays it both ways to s3proxy. */
    private static void relay(Socket client, AtomicInteger dropped) {
        try (client; Socket server = new Socket(S3.getUri().getHost(), S3.getUri().getPort())) {
            InputStream in = client.getInputStream();
            byte[] head = in.readNBytes(4);
            if (new String(head, StandardCharsets.US_ASCII).equals("PUT ")
                    && dropped.compareAndSet(0, 1)) {
                return; // closed without a reply
            }
            server.getOutputStream().write(head);
            Thread up = new Thread(() -> {
                try {
                    in.transferTo(server.getOutputStream());
                    server.shutdownOutput();
                } catch (IOException e) {
                    // either side closed
                }
            });
            up.setDaemon(true);
            up.start();
            server.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException e) {
            // either side closed
        }
    }

    @Test
    void conditionalReplacesThatBothPassS3ProxysOwnCheckStillHaveOneWinner() throws Exception {
        // s3proxy checks If-Match and only then writes (see S3TestServer); paused between the two, both
        // writers pass its check. The test server must still let exactly one replace what both read.
        S3TestServer slow = new S3TestServer(Duration.ofMillis(300));
        slow.beforeEach(null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (S3ObjectStore s = new S3ObjectStore(new S3Settings(slow.getUri(), "us-east-1", "cimle-cas", "",
                slow.getAccessKey(), slow.getSecretKey(), true, S3Settings.MIN_PART_SIZE, S3Settings.MIN_PART_SIZE, 3,
                true))) {
            s.put("cas", new byte[] {0});
            String tag = s.getTagged("cas").orElseThrow().tag();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> replaced = new ArrayList<>();
            for (byte w = 1; w <= 2; w++) {
                byte[] value = {w};
                replaced.add(pool.submit(() -> {
                    go.await();
                    return s.putIf("cas", value, tag);
                }));
            }
            go.countDown();
            List<Byte> winners = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                if (replaced.get(w).get()) {
                    winners.add((byte) (w + 1));
                }
            }
            assertEquals(1, winners.size(), "exactly one conditional replace wins: " + winners);
            assertArrayEquals(new byte[] {winners.get(0)}, s.getBytes("cas").orElseThrow(), "the winner's value stays");
        } finally {
            pool.shutdownNow();
            slow.afterEach(null);
        }
    }

    @Test
    void settingsNeverPrintTheSecret() {
        S3Settings settings = S3Settings.of(S3.getUri(), "b", "id", "very-secret");
        Assertions.assertFalse(settings.toString().contains("very-secret"));
    }
}
