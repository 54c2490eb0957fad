package io.cimle.generator;

import io.cimle.core.data.UnknownLabelPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/**
 * Everything the generator-service reads from configuration, each key documented here with its default: the
 * {@code @WithDefault} is the one source of it (README.md's table repeats it and application.properties
 * does not, checked by GeneratorSettingsDefaultsTest). Object storage ({@code cimle.storage.*}) is
 * {@link io.cimle.service.storage.StorageSettings}'s, the model ({@code cimle.model.*})
 * {@link io.cimle.service.model.ModelSettings}'s.
 */
@ConfigMapping(prefix = "cimle")
public interface GeneratorSettings {

    Serving generator();

    /** How requests are served: limits, batching, replies (cimle.generator.*). */
    interface Serving {
        /** Largest num_samples, number of explicit codes, or interpolation steps per request. */
        @WithDefault("64")
        int maxSamples();

        /**
         * Requests planned and not yet answered (queued, running or being published): the bound on work
         * in flight. At the bound the consumer pauses its partitions until an answer is acknowledged.
         */
        @WithDefault("32")
        int maxInFlight();

        /**
         * Micro-batching wait while busy: when a pass ends with requests still queued, the next pass
         * waits up to this long for {@link #maxBatch()} samples to gather. 0 (the default) never waits:
         * each pass takes what queued while the previous one ran. An idle generator never waits.
         */
        @WithDefault("0")
        int busyWaitMs();

        /** Samples per forward pass; larger requests and several small ones are split/merged to this. */
        @WithDefault("16")
        int maxBatch();

        /** Most candidate codes a style_reference may ask to search (one forward pass each). */
        @WithDefault("256")
        int maxStyleCandidates();

        /** Largest layout PNG accepted, in bytes. */
        @WithDefault("4194304")
        int maxLayoutBytes();

        /** Largest layout accepted, in pixels (before resizing to the model's size). */
        @WithDefault("16777216")
        long maxLayoutPixels();

        /** Largest layout side, in pixels. */
        @WithDefault("8192")
        int maxLayoutSide();

        /**
         * Unknown class ids or colours in a layout: reject (answer LAYOUT_UNKNOWN_CLASS: a client should
         * learn its palette is wrong) or void (map them to the void class). A typo fails at start-up.
         */
        @WithDefault("reject")
        UnknownLabelPolicy unknownLabels();

        /** Encoded images above this size travel by claim check (object-storage URI) instead of inline. */
        @WithDefault("786432")
        int inlineLimitBytes();

        /** Codes with more values than this are replied without values (seed or interpolation position only). */
        @WithDefault("65536")
        int maxInlineCodeValues();

        /** The layouts.requests consumer ({@link RequestConsumer}). */
        Requests requests();
    }

    /** cimle.generator.requests.*: where requests come from and how their offsets are committed. */
    interface Requests {
        @WithDefault("layouts.requests")
        String topic();

        /**
         * Kafka consumer properties, passed as they are (group.id, fetch.min.bytes, session.timeout.ms...),
         * over the {@code kafka.*} ones every client of this service shares (kafka.bootstrap.servers).
         */
        Map<String, String> kafka();

        /** How often the offsets of answered requests are committed (a crash redelivers at most this much). */
        @WithDefault("1000")
        int commitIntervalMs();

        /**
         * A request unanswered this long (its replies never acknowledged) turns liveness DOWN: the
         * partition's commits are stuck behind it, and a restart redelivers it.
         */
        @WithDefault("60000")
        long unansweredMaxAgeMs();
    }
}
