package io.cimle.trainer;

import com.google.protobuf.ByteString;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.Example;
import io.cimle.core.data.Images;
import io.cimle.core.data.InstanceFormat;
import io.cimle.core.data.InstanceMaps;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LayoutDecoder;
import io.cimle.core.data.LayoutEncoder;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.data.LayoutLimits;
import io.cimle.core.data.UnknownLabelPolicy;
import io.cimle.core.storage.ObjectStore;
import io.cimle.wire.v1.InstanceEncoding;
import io.cimle.wire.v1.Layout;
import io.cimle.wire.v1.LayoutEncoding;
import io.cimle.wire.v1.LayoutImagePair;
import io.cimle.wire.v1.Photo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The training set in object storage: one object per pair id (normalised to the model's size), so a
 * replayed record stores nothing twice. Keys: {@code datasets/<model>/pairs/<sha256(id)>.pb}.
 */
public final class DatasetStore {
    private final ObjectStore store;
    private final String prefix;
    private final LabelSet labels;
    private final AtomicLong size = new AtomicLong(-1);

    public DatasetStore(ObjectStore store, String modelName, LabelSet labels) {
        this.store = store;
        this.prefix = "datasets/" + modelName + "/pairs/";
        this.labels = labels;
    }

    private String key(String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(h, 0, 16) + ".pb";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores the example unless its id is already there; true when it was new. Durable on return. */
    public boolean putIfAbsent(Example example) throws IOException {
        String key = key(example.id());
        if (store.exists(key)) {
            return false;
        }
        Layout.Builder layout = Layout.newBuilder().setEncoding(LayoutEncoding.CLASS_IDS)
                .setPng(ByteString.copyFrom(LayoutEncoder.classIdsPng(example.layout())))
                .setWidth(example.layout().width()).setHeight(example.layout().height());
        if (example.layout().hasInstances()) {
            layout.setInstancePng(ByteString.copyFrom(InstanceMaps.png(example.layout())))
                    .setInstanceEncoding(InstanceEncoding.INSTANCE_IDS);
        }
        LayoutImagePair normalised = LayoutImagePair.newBuilder().setId(example.id()).setLayout(layout)
                .setPhoto(Photo.newBuilder().setData(ByteString.copyFrom(Images.encodePng(example.photo())))
                        .setMediaType("image/png").setWidth(example.photo().width()).setHeight(example.photo().height()))
                .setProducedAtMs(System.currentTimeMillis()).build();
        store.put(key, normalised.toByteArray());
        size.updateAndGet(n -> n < 0 ? n : n + 1);
        return true;
    }

    public boolean contains(String id) throws IOException {
        return store.exists(key(id));
    }

    /** Number of stored pairs (listed once, then counted as pairs arrive). */
    public long size() throws IOException {
        long n = size.get();
        if (n < 0) {
            n = store.list(prefix).size();
            size.set(n);
        }
        return n;
    }

    /** Every stored pair, decoded. Called at epoch boundaries, so new pairs join the next epoch. */
    public List<Example> loadAll() throws IOException {
        List<String> keys = store.list(prefix);
        size.set(keys.size());
        List<Example> out = new ArrayList<>(keys.size());
        LayoutDecoder decoder = new LayoutDecoder(labels, LayoutFormat.CLASS_IDS, UnknownLabelPolicy.VOID, LayoutLimits.DEFAULT);
        for (String k : keys) {
            Optional<byte[]> bytes = store.getBytes(k);
            if (bytes.isEmpty()) {
                continue;
            }
            LayoutImagePair p = LayoutImagePair.parseFrom(bytes.get());
            ClassMap layout = decoder.decode(p.getLayout().getPng().toByteArray(),
                    p.getLayout().getInstancePng().toByteArray(), InstanceFormat.INSTANCE_IDS);
            out.add(new Example(p.getId(), layout, Images.decode(p.getPhoto().getData().toByteArray())));
        }
        return out;
    }
}
