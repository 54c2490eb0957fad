package io.cimle.service.storage;

import io.cimle.core.storage.ObjectStore;
import io.cimle.core.storage.ObjectStores;
import io.cimle.core.storage.S3Settings;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.nio.file.Path;

/** Object storage from configuration: filesystem by default, S3 when cimle.storage.kind=s3. */
@ApplicationScoped
public class ObjectStoreProducer {

    @Produces
    @ApplicationScoped
    ObjectStore objectStore(StorageSettings settings, BucketPolicy bucketPolicy) {
        return ObjectStores.create(settings.kind(), Path.of(settings.root()), () -> s3Settings(settings.s3(), bucketPolicy));
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }

    /** The default policy; a service overrides it by producing its own {@link BucketPolicy}. */
    @Produces
    @Dependent
    @DefaultBean
    BucketPolicy createIfMissing() {
        return BucketPolicy.CREATE_IF_MISSING;
    }

    static S3Settings s3Settings(StorageSettings.S3 s3, BucketPolicy bucketPolicy) {
        return new S3Settings(s3.endpoint().map(URI::create).orElse(null), s3.region(), s3.bucket(), s3.prefix().orElse(""),
                s3.accessKeyId().orElse(null), s3.secretAccessKey().orElse(null), true,
                s3.multipartThreshold(), s3.partSize(), s3.maxAttempts(), bucketPolicy == BucketPolicy.CREATE_IF_MISSING);
    }
}
