package io.cimle.core.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes and finds checkpoints in an {@link ObjectStore}, so that a reader never sees a half-written one,
 * and so that a stale trainer never publishes over a newer one.
 *
 * <p>Layout under {@code models/<name>/}: {@code checkpoints/<version>.t<term>.<nonce>.ckpt} (the bytes;
 * older versions have {@code <version>.ckpt}), {@code checkpoints/<version>.json} (the {@link CheckpointInfo}
 * sidecar), {@code LATEST} (the newest sidecar's copy), {@code terms/<term>} (one marker per leadership term
 * claimed) and {@code pinned/<version>} markers. Publication order: upload the bytes, read them back and
 * verify the SHA-256, then create the sidecar, then move LATEST. A version exists for readers only once its
 * sidecar exists, so a crash mid-upload leaves at most an orphan .ckpt that retention removes.
 *
 * <p>Fencing: a trainer claims a term ({@link #claimTerm}: the next number, created only if absent, so no
 * two trainers hold the same one) before it trains, and publishes under it. A sidecar is created only if
 * absent (two writers never share a version; the second takes the next number) and {@code LATEST} moves
 * only forward in (term, step), by compare-and-set ({@link ObjectStore#putIf}). A publication under a term
 * older than the newest claimed or published one is refused with {@link StaleTermException} before anything
 * becomes visible; one that raced past that check and finds a newer term at {@code LATEST} removes its
 * sidecar and bytes again and is refused the same way. So at most one term publishes at a time, and
 * {@code LATEST} never goes back.
 */
public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectStore store;
    private final int keepLast;
    private final boolean verifyAfterUpload;
    /**
     * Checkpoint keys this store is uploading and has not yet given a sidecar: retention must not take them for
     * orphans. Without it, two publishers of one process racing for version numbers deleted each other's bytes:
     * B, with V+1 published, swept A's V still in flight as an orphan below the newest sidecar. (Publishers of
     * separate processes hold separate terms: a stale one is refused before its sidecar exists.)
     */
    private final Set<String> uploading = ConcurrentHashMap.newKeySet();

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

    /**
     * What the caller knows of a checkpoint it is about to publish.
     *
     * @param term the publisher's leadership term ({@link #claimTerm}); 0 for a publisher that claims none
     */
    public record Publication(String modelName, long step, int epoch, Map<String, Double> metrics, String preset,
            int width, int height, long term) {
        /** Without a term: for tools that publish alone (tests, benchmarks). */
        public Publication(String modelName, long step, int epoch, Map<String, Double> metrics, String preset,
                int width, int height) {
            this(modelName, step, epoch, metrics, preset, width, height, 0);
        }
    }

    /** A publication refused because a newer leadership term exists: the publisher is a stale leader. */
    public static final class StaleTermException extends IOException {
        private final long term;
        private final long newest;

        StaleTermException(String model, long term, long newest) {
            super("model " + model + ": term " + term + " is stale, term " + newest + " exists (another trainer leads "
                    + "since): nothing was published");
            this.term = term;
            this.newest = newest;
        }

        public long term() {
            return term;
        }

        public long newest() {
            return newest;
        }
    }

    /** Sidecar numbers tried at most when other writers keep taking them (each try re-reads the terms). */
    private static final int VERSION_ATTEMPTS = 16;
    /** Term markers kept: a term only needs to exist while it may still be the newest. */
    private static final int TERMS_KEPT = 16;

    /**
     * Uploads, verifies and publishes the bytes as the model's next version under the publication's term;
     * applies retention. Refused with {@link StaleTermException}, leaving nothing visible, when a newer term
     * has been claimed or has published.
     */
    public CheckpointInfo publish(Publication p, byte[] bytes) throws IOException {
        String base = base(p.modelName());
        String sha = sha256(bytes);
        for (int attempt = 0; attempt < VERSION_ATTEMPTS; attempt++) {
            requireCurrent(p);
            String version = String.format("%06d", nextSequence(p.modelName()));
            // Unique to this attempt: a writer that loses the version number removes only its own bytes.
            String key = base + "checkpoints/" + version + ".t" + p.term() + "." + UUID.randomUUID().toString()
                    .substring(0, 8) + ".ckpt";
            uploading.add(key);
            try {
                CheckpointInfo info = upload(p, version, key, bytes, sha);
                if (info != null) {
                    return info;
                }
            } finally {
                uploading.remove(key);
            }
        }
        throw new IOException("model " + p.modelName() + ": no free version number after " + VERSION_ATTEMPTS
                + " attempts (other writers keep publishing)");
    }

    /** One attempt at {@code version}: the bytes, the sidecar, LATEST, retention; null when another writer took it. */
    private CheckpointInfo upload(Publication p, String version, String key, byte[] bytes, String sha)
            throws IOException {
        String base = base(p.modelName());
        store.put(key, bytes);
        if (verifyAfterUpload) {
            String back = store.get(key).map(CheckpointStore::sha256Unchecked)
                    .orElseThrow(() -> new IOException("checkpoint " + store.uri(key) + " vanished after upload"));
            if (!back.equals(sha)) {
                throw new IOException("checkpoint " + store.uri(key) + " read back with SHA-256 " + back
                        + ", expected " + sha);
            }
        }
        CheckpointInfo info = new CheckpointInfo(p.modelName(), version, p.step(), p.epoch(), sha, bytes.length, key,
                store.uri(key), System.currentTimeMillis(), p.metrics(), p.preset(), p.width(), p.height(), p.term());
        byte[] sidecar = JSON.writeValueAsBytes(info);
        requireCurrent(p, key);
        String sidecarKey = base + "checkpoints/" + version + ".json";
        if (!store.putIf(sidecarKey, sidecar, null)) {
            store.delete(key); // another writer took this number: take the next
            return null;
        }
        advanceLatest(info, sidecar, sidecarKey);
        applyRetention(p.modelName());
        return info;
    }

    /** Moves LATEST to {@code info} unless it already holds a newer (term, step); undoes the version when stale. */
    private void advanceLatest(CheckpointInfo info, byte[] sidecar, String sidecarKey) throws IOException {
        String latestKey = base(info.modelName()) + "LATEST";
        while (true) {
            Optional<ObjectStore.Tagged> current = store.getTagged(latestKey);
            if (current.isPresent()) {
                CheckpointInfo latest = readInfo(current.get().bytes());
                if (latest.term() > info.term()) {
                    store.delete(sidecarKey);
                    store.delete(info.key());
                    throw new StaleTermException(info.modelName(), info.term(), latest.term());
                }
                if (!info.newerThan(latest.term(), latest.step())) {
                    return; // LATEST is at least as new in (term, step): this version stays a version
                }
            }
            if (store.putIf(latestKey, sidecar, current.map(ObjectStore.Tagged::tag).orElse(null))) {
                return;
            }
        }
    }

    private void requireCurrent(Publication p) throws IOException {
        requireCurrent(p, null);
    }

    /** Refuses a publication whose term is older than the newest claimed or published; removes {@code upload}. */
    private void requireCurrent(Publication p, String upload) throws IOException {
        long newest = Math.max(newestClaimedTerm(p.modelName()), latest(p.modelName()).map(CheckpointInfo::term).orElse(0L));
        if (newest > p.term()) {
            if (upload != null) {
                store.delete(upload);
            }
            throw new StaleTermException(p.modelName(), p.term(), newest);
        }
    }

    /**
     * Claims the next leadership term of the model for {@code holder} (a name for people): the number above
     * the newest claimed, created only if absent, so two claimants never hold the same term. A trainer claims
     * one each time it starts to lead, before it trains.
     */
    public long claimTerm(String model, String holder) throws IOException {
        String prefix = base(model) + "terms/";
        while (true) {
            long next = newestClaimedTerm(model) + 1;
            if (store.putIf(prefix + String.format("%012d", next), holder.getBytes(StandardCharsets.UTF_8),
                    null)) {
                List<String> terms = store.list(prefix);
                for (int i = 0; i < terms.size() - TERMS_KEPT; i++) {
                    store.delete(terms.get(i));
                }
                return next;
            }
        }
    }

    /** The newest term claimed for the model; 0 when none was. */
    public long newestClaimedTerm(String model) throws IOException {
        String prefix = base(model) + "terms/";
        long max = 0;
        for (String k : store.list(prefix)) {
            String digits = k.substring(prefix.length());
            if (digits.matches("\\d{1,18}")) {
                max = Math.max(max, Long.parseLong(digits));
            }
        }
        return max;
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
        // LATEST missing or pointing at a removed version: fall back to the newest sidecar in (term, step).
        return versions(model).stream().reduce((a, b) -> b.newerThan(a.term(), a.step()) ? b : a);
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
        String sha = sha256(bytes);
        if (!sha.equals(info.sha256())) {
            throw new IOException("checkpoint " + info.uri() + " has SHA-256 " + sha + ", expected " + info.sha256());
        }
        return bytes;
    }

    public void pin(String model, String version) throws IOException {
        store.put(base(model) + "pinned/" + version, new byte[0]);
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
            // Orphans newer than the newest sidecar may be an upload in progress: leave them, and this store's own.
            if (!keep.contains(version) && version.compareTo(newest) <= 0 && !uploading.contains(k)) {
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

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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
