package io.cimle.cli.demo;

import com.google.protobuf.ByteString;
import io.cimle.cli.client.Producers;
import io.cimle.core.data.Example;
import io.cimle.core.data.Images;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.Photo;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The demo's pairs to {@code layouts.training}, one pair per record keyed by its id, with a progress bar. */
final class PairProducer {
    private PairProducer() {
    }

    static void produce(String bootstrap, List<Example> scenes, String dataset) {
        try (var producer = Producers.durable(bootstrap, Map.of())) {
            ProgressLine bar = new ProgressLine(System.console() != null);
            for (int i = 0; i < scenes.size(); i++) {
                Example s = scenes.get(i);
                LayoutImagePair pair = LayoutImagePair.newBuilder().setId(dataset + "/" + s.id()).setDataset(dataset)
                        .setLayout(Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                                .setPng(ByteString.copyFrom(LayoutEncoder.classIdsPng(s.layout()))))
                        .setPhoto(Photo.newBuilder().setData(ByteString.copyFrom(Images.encodePng(s.photo())))
                                .setMediaType("image/png"))
                        .setProducedAtMs(System.currentTimeMillis()).build();
                producer.send(new ProducerRecord<>(Topics.LAYOUTS_TRAINING, pair.getId(), pair.toByteArray()));
                bar.show((i + 1.0) / scenes.size(), (i + 1) + "/" + scenes.size() + " pairs");
            }
            producer.flush();
            bar.done();
        }
    }
}
