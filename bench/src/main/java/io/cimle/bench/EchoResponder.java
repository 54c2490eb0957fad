package io.cimle.bench;

import io.cimle.cli.client.Producers;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.SampleReply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The transport's floor: answers each LayoutRequest at once with its sample replies, no model, over
 * the same broker with the generator's consumer and producer settings (a group, fetch.min.bytes 1,
 * acks=all idempotent replies with linger 0, offsets committed, at most once a second, after the replies are acknowledged).
 * Each reply carries the request's layout PNG as its image, so records are about a real reply's size.
 */
final class EchoResponder implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final String replyTopic;
    private final Thread thread;
    private volatile boolean running = true;

    EchoResponder(String bootstrap, String requestTopic, String replyTopic) {
        this.replyTopic = replyTopic;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-echo");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 32);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        producer = Producers.durable(bootstrap, Map.of(ProducerConfig.LINGER_MS_CONFIG, 0));
        consumer.subscribe(List.of(requestTopic));
        thread = new Thread(this::loop, "bench-echo");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs as its own process (as the generator does), until its standard input closes: the floor then
     * pays the same process switches on a shared host as the generator's path. Args: bootstrap, request
     * topic, reply topic.
     */
    public static void main(String[] args) throws Exception {
        try (EchoResponder echo = new EchoResponder(args[0], args[1], args[2])) {
            System.out.println("echo ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the bench closes our stdin (or dies)
            }
        }
    }

    /** Starts {@link #main} in a child JVM on this JVM's class path; closing its stdin stops it. */
    static Process startProcess(String bootstrap, String requestTopic, String replyTopic) throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EchoResponder.class.getName(), bootstrap, requestTopic,
                replyTopic).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.contains("echo ready")) {
            // slf4j lines before ready
        }
        if (line == null) {
            throw new IllegalStateException("echo process exited before it was ready");
        }
        return p;
    }

    private void loop() {
        long lastCommit = System.nanoTime();
        try {
            while (running) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    LayoutRequest q = LayoutRequest.parseFrom(r.value());
                    for (int i = 0; i < q.getNumSamples(); i++) {
                        SampleReply reply = SampleReply.newBuilder().setSample(GeneratedSample.newBuilder()
                                .setRequestId(q.getRequestId()).setIndex(i).setTotal(q.getNumSamples())
                                .setImage(q.getLayout().getPng())).build();
                        sends.add(producer.send(new ProducerRecord<>(replyTopic, q.getRequestId(), reply.toByteArray())));
                    }
                }
                for (Future<RecordMetadata> f : sends) {
                    f.get();
                }
                // Like the generator's throttled commit: acknowledged work, committed now and then, not per poll.
                if (!sends.isEmpty() && System.nanoTime() - lastCommit > 1_000_000_000L) {
                    consumer.commitAsync();
                    lastCommit = System.nanoTime();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            if (running) {
                throw new IllegalStateException("echo responder failed", e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
    }
}
