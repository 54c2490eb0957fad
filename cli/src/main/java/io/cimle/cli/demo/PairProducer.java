package io.cimle.cli.demo;

import io.cimle.cli.client.Producers;
import io.cimle.cli.ingest.PairEncoder;
import io.cimle.core.data.Example;
import io.cimle.wire.Topics;
import io.cimle.wire.v1.LayoutImagePair;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The demo's pairs to {@code layouts.training}, one pair per record keyed by its id, with a progress bar. */
final class PairProducer {
    private PairProducer() {
    }

    static void produce(String bootstrap, List<Example> scenes, String dataset) {
        // Ingest's encoding: the same records `cimle ingest` sends, instance maps included.
        PairEncoder encoder = new PairEncoder(dataset, PairEncoder.PhotoFormat.PNG);
        try (var producer = Producers.durable(bootstrap, Map.of())) {
            ProgressLine bar = new ProgressLine(System.console() != null);
            for (int i = 0; i < scenes.size(); i++) {
                Example s = scenes.get(i);
                LayoutImagePair pair = encoder.encode(s.id(), s);
                producer.send(new ProducerRecord<>(Topics.LAYOUTS_TRAINING, pair.getId(), pair.toByteArray()));
                bar.show((i + 1.0) / scenes.size(), (i + 1) + "/" + scenes.size() + " pairs");
            }
            producer.flush();
            bar.done();
        }
    }
}
