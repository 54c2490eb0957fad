package io.cimle.generator;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request's hold on the {@link LoadedModel} it runs on, taken when the request is admitted: the model's
 * native memory stays allocated while any lease on it is open, even after the registry retired it. A lease has
 * one owner at a time: the {@link RequestProcessor} while it plans, then the front end that admitted the request
 * (the Kafka consumer while the request waits for room, the REST call) until the {@link MicroBatcher} takes the
 * work, then the batcher until the request's pass has run. Whoever owns it when the request is done with the
 * model (its pass ran, it was refused or dropped unrun) closes it: the one place a request gives its model
 * back. Closing a closed lease does nothing, so a model is never released twice for one request.
 */
public final class ModelLease implements AutoCloseable {
    private final LoadedModel model;
    private final AtomicBoolean open = new AtomicBoolean(true);

    /** A lease on {@code model}, already acquired for it ({@link ModelRegistry#acquire}). */
    ModelLease(LoadedModel model) {
        this.model = model;
    }

    public LoadedModel model() {
        return model;
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            model.release();
        }
    }
}
