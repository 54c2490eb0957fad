package io.cimle.core.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Publishes and finds checkpoints in an {@link ObjectStore}, so that a reader never sees a half-written one.
 *
 * <p>Layout under {@code models/<name>/}: {@code checkpoints/<version>.ckpt} (the bytes),
 * {@code checkpoints/<version>.json} (the {@link CheckpointInfo} sidecar), {@code LATEST} (the newest
 * sidecar's copy) and {@code pinned/<version>} markers. Publication order: upload the bytes, read them
 * back and verify the SHA-256, then write the sidecar, then LATEST. A version exists for readers only
 * once its sidecar exists, so a crash mid-upload leaves at most an orphan .ckpt that retention removes.
 */
public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore store;
    private final int keepLast;
    private final boolean verifyAfterUpload;

    /**
     * @param keepLast number of newest versions retention keeps (pinned versions are kept too); >= 1
     */
    public CheckpointStore(ObjectStore store, int keepLast, boolean verifyAfterUpload) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("retention must keep at least one checkpoint, got " + keepLast);
        }
        this.store = store;
        this.keepLast = keepLast;
        this.verifyAfterUpload = verifyAfterUpload;
    }

    private static String base(String model) {
        if (model == null || !model.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("model name '" + model + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return "models/" + model + "/";
    }

    /** What the caller knows of a checkpoint it is about to publish. */
    public record Publication(String modelName, long step, int epoch, Map<String, Double> metrics, String preset,
            int width, int height) {
    }

    /** Uploads, verifies and publishes the bytes as the model's next version; applies retention. */
    public CheckpointInfo publish(Publication p, byte[] bytes) throws IOException {
        String base = base(p.modelName());
        String version = String.format("%06d", nextSequence(p.modelName()));
        String key = base + "checkpoints/" + version + ".ckpt";
        String sha = sha256(new ByteArrayInputStream(bytes));
        store.put(key, bytes);
        if (verifyAfterUpload) {
            String back = store.get(key).map(CheckpointStore::sha256Unchecked)
                    .orElseThrow(() -> new IOException("checkpoint " + store.uri(key) + " vanished after upload"));
            if (!back.equals(sha)) {
                throw new IOException("checkpoint " + store.uri(key) + " read back with SHA-256 " + back + ", expected " + sha);
            }
        }
        CheckpointInfo info = new CheckpointInfo(p.modelName(), version, p.step(), p.epoch(), sha, bytes.length, key,
                store.uri(key), System.currentTimeMillis(), p.metrics(), p.preset(), p.width(), p.height());
        byte[] sidecar = JSON.writeValueAsBytes(info);
        store.put(base + "checkpoints/" + version + ".json", sidecar);
        store.put(base + "LATEST", sidecar);
        applyRetention(p.modelName());
        return info;
    }

    private long nextSequence(String model) throws IOException {
        long max = 0;
        for (String k : store.list(base(model) + "checkpoints/")) {
            String name = k.substring(k.lastIndexOf('/') + 1);
            String digits = name.substring(0, name.indexOf('.'));
            if (digits.matches("\\d+")) {
                max = Math.max(max, Long.parseLong(digits));
            }
        }
        return max + 1;
    }

    /** Every published (sidecar present) version, oldest first. */
    public List<CheckpointInfo> versions(String model) throws IOException {
        List<CheckpointInfo> out = new ArrayList<>();
        for (String k : store.list(base(model) + "checkpoints/")) {
            if (k.endsWith(".json")) {
                store.getBytes(k).ifPresent(b -> out.add(readInfo(b)));
            }
        }
        out.sort(Comparator.comparing(CheckpointInfo::version));
        return out;
    }

    public Optional<CheckpointInfo> latest(String model) throws IOException {
        Optional<byte[]> latest = store.getBytes(base(model) + "LATEST");
        if (latest.isPresent()) {
            CheckpointInfo info = readInfo(latest.get());
            if (store.exists(info.key())) {
                return Optional.of(info);
            }
        }
        // LATEST missing or pointing at a removed version: fall back to the newest sidecar.
        List<CheckpointInfo> all = versions(model);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public Optional<CheckpointInfo> version(String model, String version) throws IOException {
        if (!version.matches("\\d{1,12}")) {
            return Optional.empty();
        }
        return store.getBytes(base(model) + "checkpoints/" + version + ".json").map(CheckpointStore::readInfo);
    }

    /** The checkpoint's bytes, verified against the sidecar's SHA-256. */
    public byte[] read(CheckpointInfo info) throws IOException {
        byte[] bytes = store.getBytes(info.key())
                .orElseThrow(() -> new IOException("checkpoint " + info.uri() + " does not exist (removed by retention?)"));
        String sha = sha256(new ByteArrayInputStream(bytes));
        if (!sha.equals(info.sha256())) {
            throw new IOException("checkpoint " + info.uri() + " has SHA-256 " + sha + ", expected " + info.sha256());
        }
        return bytes;
    }

    public void pin(String model, String version) throws IOException {
        store.put(base(model) + "pinned/" + version, new byte[0]);
    }

    public void unpin(String model, String version) throws IOException {
        store.delete(base(model) + "pinned/" + version);
    }

    public Set<String> pinned(String model) throws IOException {
        Set<String> out = new TreeSet<>();
        String prefix = base(model) + "pinned/";
        for (String k : store.list(prefix)) {
            out.add(k.substring(prefix.length()));
        }
        return out;
    }

    /** Removes all but the newest {@code keepLast} versions and the pinned ones, and orphaned uploads. */
    public void applyRetention(String model) throws IOException {
        List<CheckpointInfo> all = versions(model);
        Set<String> keep = new TreeSet<>(pinned(model));
        for (int i = Math.max(0, all.size() - keepLast); i < all.size(); i++) {
            keep.add(all.get(i).version());
        }
        String newest = all.isEmpty() ? "" : all.get(all.size() - 1).version();
        String prefix = base(model) + "checkpoints/";
        for (String k : store.list(prefix)) {
            String name = k.substring(prefix.length());
            String version = name.substring(0, name.indexOf('.'));
            // Orphans newer than the newest sidecar may be an upload in progress: leave them.
            if (!keep.contains(version) && version.compareTo(newest) <= 0) {
                store.delete(k);
            }
        }
    }

    private static CheckpointInfo readInfo(byte[] json) {
        try {
            return JSON.readValue(json, CheckpointInfo.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable checkpoint sidecar: " + e.getMessage(), e);
        }
    }

    public static String sha256(InputStream in) throws IOException {
        try (DigestInputStream d = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            d.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(d.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Unchecked(InputStream in) {
        try {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
