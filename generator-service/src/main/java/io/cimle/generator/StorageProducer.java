package io.cimle.generator;

import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.ObjectStore;
import io.cimle.service.storage.BucketPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/** Checkpoints in the shared object store (io.cimle.service.storage), read-side: nothing is ever pruned here. */
@ApplicationScoped
public class StorageProducer {

    @Produces
    @ApplicationScoped
    CheckpointStore checkpoints(ObjectStore store) {
        // The generator only reads: retention is the trainer's job, so keep-last is irrelevant here.
        return new CheckpointStore(store, Integer.MAX_VALUE, true);
    }

    /** The generator never creates the S3 bucket: the trainer does, and the generator's credentials need not allow it. */
    @Produces
    @Dependent
    BucketPolicy bucketPolicy() {
        return BucketPolicy.MUST_EXIST;
    }
}
