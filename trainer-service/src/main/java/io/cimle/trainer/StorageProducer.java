package io.cimle.trainer;

import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.ObjectStore;
import io.cimle.core.storage.ObjectStores;
import io.cimle.core.storage.S3Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.nio.file.Path;

/** Object storage from configuration: filesystem by default, S3 when cimle.storage.kind=s3. */
@ApplicationScoped
public class StorageProducer {

    @Produces
    @ApplicationScoped
    ObjectStore objectStore(TrainerSettings settings) {
        TrainerSettings.Storage s = settings.storage();
        return ObjectStores.create(s.kind(), Path.of(s.root()), () -> new S3Settings(
                s.s3().endpoint().map(URI::create).orElse(null), s.s3().region(), s.s3().bucket(), s.s3().prefix().orElse(""),
                s.s3().accessKeyId().orElse(null), s.s3().secretAccessKey().orElse(null), true,
                s.s3().multipartThreshold(), s.s3().partSize(), s.s3().maxAttempts(), true));
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }

    @Produces
    @ApplicationScoped
    CheckpointStore checkpoints(ObjectStore store, TrainerSettings settings) {
        return new CheckpointStore(store, settings.trainer().checkpointKeepLast(), true);
    }
}
