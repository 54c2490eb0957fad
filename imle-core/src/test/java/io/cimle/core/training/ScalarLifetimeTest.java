package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cimle.core.model.NoiseMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The zero-gradient stall, reproduced on demand. DJL's {@code mul(Number)} used to free its scalar
 * while autograd still pointed into it (see {@code Scalars}), so the backward pass read whatever a
 * garbage collection had left there: with a collection every 2 ms the old code gave a different
 * update from step 1, a step with no gradient at step 4 and an Inf gradient a few steps later.
 * When the collector runs must change nothing about a seeded run.
 */
class ScalarLifetimeTest {

    @ParameterizedTest
    @EnumSource(value = NoiseMode.class, names = {"ENCODER", "VECTOR"})
    void weightsDoNotDependOnWhenTheGarbageCollectorRuns(NoiseMode noise) throws Exception {
        String quiet = SeededRun.train(noise, 1);
        String collected;
        try (CollectorStorm storm = CollectorStorm.start()) {
            collected = SeededRun.train(noise, 1);
            storm.assertRan();
        }
        assertEquals(quiet, collected, "weights after a seeded run changed when garbage collections ran during it");
    }

    /** A thread that asks for a full collection every 2 ms (and frees every unreachable direct buffer). */
    static final class CollectorStorm implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long collections;

        private CollectorStorm() {
            thread = new Thread(() -> {
                while (running) {
                    System.gc();
                    collections++;
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "collector-storm");
            thread.setDaemon(true);
        }

        static CollectorStorm start() {
            CollectorStorm storm = new CollectorStorm();
            storm.thread.start();
            return storm;
        }

        void assertRan() {
            if (collections < 10) {
                throw new AssertionError("the collector storm ran only " + collections + " collections");
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
