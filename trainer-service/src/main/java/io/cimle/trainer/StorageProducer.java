package io.cimle.trainer;

import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Checkpoints in the shared object store (io.cimle.service.storage), keeping the newest N. */
@ApplicationScoped
public class StorageProducer {

    @Produces
    @ApplicationScoped
    CheckpointStore checkpoints(ObjectStore store, TrainerSettings settings) {
        return new CheckpointStore(store, settings.trainer().checkpointKeepLast(), true);
    }
}
