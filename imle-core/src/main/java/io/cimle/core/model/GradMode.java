package io.cimle.core.model;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * libtorch's gradient mode is per thread, and DJL switches it off only on the thread that started
 * the engine: on any other thread (a Kafka worker, the training thread) it is on. Work that must not
 * record a graph (sampling, selection, loading parameters in place) runs through here.
 */
public final class GradMode {
    private GradMode() {
    }

    public static <T> T withoutGradients(Supplier<T> work) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    public static void withoutGradients(Runnable work) {
        withoutGradients(() -> {
            work.run();
            return null;
        });
    }
}
