package io.cimle.wire;

import java.util.List;

/**
 * Topic names, defined once. Services wire channels to these names through configuration;
 * the defaults here are what README, deploy/ and the local run use.
 */
public final class Topics {
    /** Training pairs ({@code LayoutImagePair}), keyed by pair id. */
    public static final String LAYOUTS_TRAINING = "layouts.training";
    /** Sample requests ({@code LayoutRequest}), keyed by request id. */
    public static final String LAYOUTS_REQUESTS = "layouts.requests";
    /** Samples and error replies ({@code SampleReply}), keyed by request id. */
    public static final String SAMPLES_GENERATED = "samples.generated";
    /** Checkpoint announcements ({@code CheckpointEvent}); compacted, keyed by model name. */
    public static final String CHECKPOINTS = "checkpoints";

    /** Suffix of the dead-letter topic of an input topic. */
    public static final String DLQ_SUFFIX = ".dlq";

    public static final String LAYOUTS_TRAINING_DLQ = LAYOUTS_TRAINING + DLQ_SUFFIX;
    public static final String LAYOUTS_REQUESTS_DLQ = LAYOUTS_REQUESTS + DLQ_SUFFIX;

    /** Kafka's default max.message.bytes (1 MiB); every record we produce stays below it. */
    public static final int BROKER_RECORD_LIMIT_BYTES = 1_048_588;
    /** Default threshold above which image bytes travel by claim check (object-storage URI). */
    public static final int DEFAULT_INLINE_LIMIT_BYTES = 768 * 1024;

    private Topics() {
    }

    public static String deadLetterOf(String inputTopic) {
        return inputTopic + DLQ_SUFFIX;
    }

    /** Every topic the system uses, for brokers that do not auto-create topics. */
    public static List<String> all() {
        return List.of(LAYOUTS_TRAINING, LAYOUTS_REQUESTS, SAMPLES_GENERATED, CHECKPOINTS,
                LAYOUTS_TRAINING_DLQ, LAYOUTS_REQUESTS_DLQ);
    }

    /** Whether the topic is log-compacted (only the checkpoint announcements are). */
    public static boolean isCompacted(String topic) {
        return CHECKPOINTS.equals(topic);
    }
}
