package io.cimle.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.cli.client.SampleClient;
import io.cimle.cli.demo.LocalStack;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.S3ObjectStore;
import io.cimle.kafka.LocalKafkaBroker;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.ErrorCode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A generator that starts while requests flow, with a model in the store: restarted at once after a
 * SIGKILL, or added beside a running one (scale-out). It must join the consumer group only once its
 * model is loaded, so no request is answered NO_MODEL_LOADED while the store holds a model: every
 * request gets its samples, none an error. The time without answers is printed.
 *
 * <p>The store is S3 (s3proxy) behind a link capped at {@link #STORE_BYTES_PER_SECOND}, so loading the
 * tiny checkpoint (244 KB) takes about 8 s, as a paper-preset checkpoint (400 MB) does from a busy
 * store: longer than a consumer takes to join the group and get partitions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratorRestartTest {
    private static final int SAMPLES = 4;
    private static final long STORE_BYTES_PER_SECOND = 30_000;
    private Path dir;
    private LocalKafkaBroker broker;
    private LocalStack stack;
    private S3Server s3;
    private FaultyLink storeLink;
    private Map<String, String> storeEnv;
    private String bootstrap;
    private LocalStack.Service first;
    private final RequestStream requests = new RequestStream();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("cimle-genrestart-");
        broker = LocalKafkaBroker.startPersistent(dir.resolve("kafka"), 0);
        broker.createSystemTopics(2);
        bootstrap = broker.bootstrapServers();
        s3 = new S3Server(dir.resolve("s3"));
        try (S3ObjectStore direct = s3.client()) {
            Rig.publishTiny(new CheckpointStore(direct, 10, true), 1);
        }
        storeLink = new FaultyLink("127.0.0.1", s3.port()).bandwidth(STORE_BYTES_PER_SECOND);
        storeEnv = S3Server.env(URI.create("http://" + storeLink.address()));
        stack = new LocalStack(dir.resolve("logs"));
        first = generator("generator-1");
        Rig.awaitReady(stack, first);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (storeLink != null) {
            storeLink.close();
        }
        try {
            if (s3 != null) {
                s3.close();
            }
        } catch (Exception e) {
            System.out.println("[reliability] stopping s3proxy: " + e);
        }
        System.out.println("[reliability] logs of GeneratorRestartTest in " + dir.resolve("logs"));
    }

    /**
     * The new user's run of the issue: 200 requests at 10/s, 4 samples each, to one generator; 6 s in
     * it is SIGKILLed and started again at once with the same command. Its backlog waits in Kafka
     * until the restarted process has its model, then every request is answered with samples.
     */
    @Test
    @Order(1)
    void aGeneratorRestartedMidStreamAnswersItsBacklogWithSamples() throws Exception {
        int n = 200;
        long[] killedAt = new long[1];
        try (SampleClient replies = new SampleClient(bootstrap)) {
            List<String> ids = requests.send(replies, "restart", n, SAMPLES, 10, sent -> {
                if (sent == 60) {
                    try {
                        Rig.kill(first);
                        killedAt[0] = System.nanoTime();
                        first = generator("generator-1");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            List<String> missing = replies.awaitAnswered(ids, Duration.ofMinutes(2));
            long gapMs = longestSilenceMs(replies, ids, killedAt[0]);
            System.out.printf("[reliability] generator SIGKILLed and restarted at once mid-stream: sent %d (%d samples "
                    + "each, 10/s), answered %d, errors %d, lost %d, duplicates dropped %d; no answer for %d ms after "
                    + "the kill%n", n, SAMPLES, n - missing.size(), Tally.errors(replies, ids), missing.size(),
                    Tally.duplicates(replies, ids), gapMs);
            assertEquals(0, requests.sendFailures.get());
            assertEquals(List.of(), missing, "requests without a complete answer");
            assertEquals(0, Tally.errors(replies, ids), "no request is refused while the store holds a model");
            assertEquals((long) n * SAMPLES, Tally.distinctSamples(replies, ids));
        }
    }

    /**
     * Scale-out while requests flow: a second generator started beside the first takes a partition
     * only once its model is loaded, so the rebalance moves no request to a process that would refuse it.
     */
    @Test
    @Order(2)
    void aGeneratorAddedMidStreamRefusesNothing() throws Exception {
        Rig.awaitReady(stack, first);
        int n = 300;
        LocalStack.Service[] second = new LocalStack.Service[1];
        try (SampleClient replies = new SampleClient(bootstrap)) {
            List<String> ids = requests.send(replies, "scaleout", n, SAMPLES, 10, sent -> {
                if (sent == 50) {
                    try {
                        second[0] = generator("generator-2");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            List<String> missing = replies.awaitAnswered(ids, Duration.ofMinutes(2));
            Set<Integer> ofSecond = Rig.partitionsOf(bootstrap, "cimle-generator", "generator-2", Topics.LAYOUTS_REQUESTS);
            double answeredBySecond = Rig.metric(stack, second[0], "cimle_generator_requests_total", "outcome=\"ok\"");
            double refusedBySecond = Rig.metric(stack, second[0], "cimle_generator_requests_total", "outcome=\"error\"");
            long gapMs = longestSilenceMs(replies, ids, 0);
            System.out.printf("[reliability] scale-out mid-stream: sent %d (%d samples each, 10/s), answered %d, errors %d, "
                    + "lost %d, duplicates dropped %d; generator-2 holds partitions %s and answered %.0f (errors %.0f); "
                    + "longest time without an answer %d ms%n", n, SAMPLES, n - missing.size(), Tally.errors(replies, ids),
                    missing.size(), Tally.duplicates(replies, ids), ofSecond, answeredBySecond, refusedBySecond, gapMs);
            assertEquals(0, requests.sendFailures.get());
            assertEquals(List.of(), missing, "requests without a complete answer");
            assertEquals(0, Tally.errors(replies, ids), "no request is refused during the scale-out");
            assertEquals((long) n * SAMPLES, Tally.distinctSamples(replies, ids));
            assertFalse(ofSecond.isEmpty(), "the added generator took a partition");
            assertTrue(answeredBySecond > 0, "the added generator answered requests: " + answeredBySecond);
        }
    }

    /**
     * The store held no model of this name: requests are refused at once, NO_MODEL_LOADED. Once a
     * checkpoint is published (here without an announcement, as if the generator missed it) the next
     * request finds it in the store, waits for its load and gets samples: none sent after the
     * publication is refused.
     */
    @Test
    @Order(3)
    void withNoModelStoredRequestsAreRefusedUntilOneIsPublished() throws Exception {
        String model = "fresh";
        String topic = "fresh.requests";
        broker.createTopics(List.of(topic), 1);
        LocalStack.Service fresh = Rig.generator(stack, "generator-fresh", bootstrap, dir.resolve("unused"),
                List.of("-Dcimle.model.name=" + model, "-Dcimle.generator.requests.topic=" + topic,
                        "-Dcimle.generator.requests.kafka.group.id=fresh"), storeEnv);
        stack.awaitLog(fresh, "consuming " + topic, Duration.ofMinutes(2));
        try (SampleClient client = new SampleClient(bootstrap, topic, Topics.SAMPLES_GENERATED)) {
            SampleClient.Answer before = client.request(Rig.request("fresh-before", 0, SAMPLES), Duration.ofSeconds(30));
            assertFalse(before.ok(), "no model stored: refused");
            assertEquals(ErrorCode.NO_MODEL_LOADED, before.error().getCode());
            try (S3ObjectStore direct = s3.client()) {
                Rig.publishTiny(new CheckpointStore(direct, 10, true), model, 7);
            }
            long published = System.nanoTime();
            List<String> ids = requests.send(client, "fresh-after", 20, SAMPLES, 10, sent -> { });
            List<String> missing = client.awaitAnswered(ids, Duration.ofMinutes(1));
            long firstMs = (ids.stream().map(client::receipt).filter(r -> r != null && r.answered())
                    .mapToLong(SampleClient.Receipt::completedNanos).min().orElse(published) - published) / 1_000_000;
            System.out.printf("[reliability] no model stored: refused with %s; after a checkpoint was published (not "
                    + "announced): %d requests answered, errors %d, lost %d; first answer %d ms after the publication%n",
                    before.error().getCode(), ids.size() - missing.size(), Tally.errors(client, ids), missing.size(), firstMs);
            assertEquals(List.of(), missing);
            assertEquals(0, Tally.errors(client, ids), "a stored model is waited for, not refused");
            assertEquals(20L * SAMPLES, Tally.distinctSamples(client, ids));
        }
    }

    private LocalStack.Service generator(String name) throws Exception {
        return Rig.generator(stack, name, bootstrap, dir.resolve("unused"), List.of(), storeEnv);
    }

    /** The longest interval between consecutive answers completed after {@code fromNanos} (0: all). */
    private static long longestSilenceMs(SampleClient replies, List<String> ids, long fromNanos) {
        long[] done = LongStream.concat(LongStream.of(fromNanos), ids.stream().map(replies::receipt)
                .filter(r -> r != null && r.answered()).mapToLong(SampleClient.Receipt::completedNanos)
                .filter(t -> t >= fromNanos)).filter(t -> t > 0).sorted().toArray();
        long longest = 0;
        for (int i = 1; i < done.length; i++) {
            longest = Math.max(longest, done[i] - done[i - 1]);
        }
        return longest / 1_000_000;
    }
}
