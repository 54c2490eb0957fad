package io.cimle.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cimle.wire.LayoutRequestDeserializer;
import io.cimle.wire.LayoutRequestSerializer;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.LayoutRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBrokerExtension.class)
class LocalKafkaBrokerTest {

    @Test
    void producesAndConsumesWithTheProjectSerdes(LocalKafkaBroker broker) {
        assertTrue(broker.topics().containsAll(Topics.all()), "system topics exist: " + broker.topics());
        List<LayoutRequest> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(LayoutRequest.newBuilder().setRequestId("req-" + i).setNumSamples(i + 1).setSeed(i).setHasSeed(true).build());
        }
        produce(broker.bootstrapServers(), Topics.LAYOUTS_REQUESTS, sent);
        List<LayoutRequest> got = consume(broker.bootstrapServers(), Topics.LAYOUTS_REQUESTS, sent.size());
        assertEquals(sent, got);
    }

    @Test
    void checkpointTopicIsCompacted(LocalKafkaBroker broker) throws Exception {
        try (var admin = broker.admin()) {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHECKPOINTS);
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }

    @Test
    void persistentBrokerKeepsRecordsAndAddressAcrossRestarts(@TempDir Path dir) {
        String address;
        try (LocalKafkaBroker first = LocalKafkaBroker.startPersistent(dir, 0)) {
            address = first.bootstrapServers();
            first.createTopics(List.of("kept"), 1);
            produce(address, "kept", List.of(LayoutRequest.newBuilder().setRequestId("survivor").build()));
        }
        assertTrue(Files.exists(dir.resolve("log").resolve("meta.properties")));
        try (LocalKafkaBroker second = LocalKafkaBroker.startPersistent(dir, 0)) {
            assertEquals(address, second.bootstrapServers());
            List<LayoutRequest> got = consume(second.bootstrapServers(), "kept", 1);
            assertEquals("survivor", got.get(0).getRequestId());
        }
    }

    static void produce(String bootstrap, String topic, List<LayoutRequest> messages) {
        Properties p = new Properties();
        p.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new LayoutRequestSerializer())) {
            for (LayoutRequest m : messages) {
                producer.send(new ProducerRecord<>(topic, m.getRequestId(), m));
            }
            producer.flush();
        }
    }

    static List<LayoutRequest> consume(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        List<LayoutRequest> got = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new LayoutRequestDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (got.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, LayoutRequest> r : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals(r.value().getRequestId(), r.key());
                    got.add(r.value());
                }
            }
        }
        return got;
    }
}
