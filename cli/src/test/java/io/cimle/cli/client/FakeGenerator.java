package io.cimle.cli.client;

import io.cimle.wire.SampleReplySerializer;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.GeneratedSample;
import io.cimle.wire.v1.ImageFormat;
import io.cimle.wire.v1.LatentCode;
import io.cimle.wire.v1.LayoutRequest;
import io.cimle.wire.v1.SampleReply;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stands in for the generator service in client tests: answers every request on layouts.requests
 * with num_samples samples whose image is the request's own layout PNG, so a test can check the
 * bytes made the round trip intact.
 */
final class FakeGenerator implements AutoCloseable {
    static final String MODEL_VERSION = "fake-000001";
    final List<LayoutRequest> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    FakeGenerator(String bootstrap) {
        thread = new Thread(() -> loop(bootstrap), "fake-generator");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "fake-generator-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(p, new StringSerializer(), new SampleReplySerializer())) {
            consumer.subscribe(List.of(Topics.LAYOUTS_REQUESTS));
            while (running) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    LayoutRequest r = LayoutRequest.parseFrom(record.value());
                    received.add(r);
                    for (int i = 0; i < r.getNumSamples(); i++) {
                        GeneratedSample s = GeneratedSample.newBuilder().setRequestId(r.getRequestId()).setIndex(i)
                                .setTotal(r.getNumSamples()).setImage(r.getLayout().getPng()).setFormat(ImageFormat.PNG)
                                .setWidth(r.getLayout().getWidth()).setHeight(r.getLayout().getHeight())
                                .setCode(LatentCode.newBuilder().addShape(1).addShape(4).setSeed(r.getSeed() + i)
                                        .setHasSeed(true))
                                .setModelVersion(MODEL_VERSION).build();
                        producer.send(new ProducerRecord<>(Topics.SAMPLES_GENERATED, r.getRequestId(),
                                SampleReply.newBuilder().setSample(s).build()));
                    }
                    producer.flush();
                }
            }
        } catch (Exception e) {
            if (running) {
                e.printStackTrace();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
