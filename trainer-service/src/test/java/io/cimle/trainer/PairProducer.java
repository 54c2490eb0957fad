package io.cimle.trainer;

import com.google.protobuf.ByteString;
import io.cimle.core.data.Images;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.ToyScenes;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.Photo;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces toy-scene training pairs (and anything else a test wants) to layouts.training. */
final class PairProducer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    PairProducer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    static LayoutImagePair toyPair(ToyScenes.Scene scene) {
        return LayoutImagePair.newBuilder().setId(scene.id()).setDataset("toy-scenes")
                .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                        .setPng(ByteString.copyFrom(LayoutEncoder.classIdsPng(scene.layout()))))
                .setPhoto(Photo.newBuilder().setData(ByteString.copyFrom(Images.encodePng(scene.photo()))))
                .build();
    }

    void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.LAYOUTS_TRAINING, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
