package io.cimle.generator;

import io.cimle.core.data.LabelSet;
import io.cimle.core.model.CodeBank;
import io.cimle.core.model.GeneratorNetwork;
import io.cimle.core.model.ModelConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One checkpoint loaded for serving. Reference-counted: the registry may retire a version while a
 * batch still runs on it; the native memory is freed when the last user releases it.
 */
public final class LoadedModel {
    private final String version;
    private final GeneratorNetwork network;
    private final LabelSet labels;
    private final long step;
    private final long term;
    private final CodeBank bank;
    private final AtomicInteger users = new AtomicInteger(1);

    LoadedModel(String version, GeneratorNetwork network, LabelSet labels, long step, long term) {
        this(version, network, labels, step, term, null);
    }

    LoadedModel(String version, GeneratorNetwork network, LabelSet labels, long step, long term, CodeBank bank) {
        this.version = version;
        this.bank = bank;
        this.network = network;
        this.labels = labels;
        this.step = step;
        this.term = term;
    }

    public String version() {
        return version;
    }

    public GeneratorNetwork network() {
        return network;
    }

    public ModelConfig config() {
        return network.config();
    }

    /** The matched codes this model's codes stand for (see {@link CodeBank}), or null: a checkpoint without one. */
    public CodeBank bank() {
        return bank;
    }

    public LabelSet labels() {
        return labels;
    }

    public long step() {
        return step;
    }

    /** The leadership term of the trainer that published it (0 before terms existed). */
    public long term() {
        return term;
    }

    /** Takes a reference; false if the model is already closed (the caller must look it up again). */
    boolean acquire() {
        while (true) {
            int n = users.get();
            if (n <= 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (users.decrementAndGet() == 0) {
            network.close();
        }
    }
}
