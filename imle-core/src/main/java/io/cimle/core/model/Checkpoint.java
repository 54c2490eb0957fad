package io.cimle.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A training snapshot as one ZIP stream: {@code manifest.json} (format version, resolved model
 * config, step, epoch, creation time, free-form metadata), {@code generator.params} (DJL's
 * parameter file) and {@code extras/<name>} byte entries for the training code's own state
 * (optimiser, RNG, rebalancing statistics). Writing is deterministic: the same content gives the
 * same bytes, so {@link #sha256()} identifies the content.
 */
public final class Checkpoint {
    public static final int FORMAT_VERSION = 1;
    /** Metadata key of the label set (LabelSet JSON) the model was trained on, so a checkpoint decodes layouts. */
    public static final String LABEL_SET_KEY = "labelSet";
    static final String MANIFEST = "manifest.json";
    static final String PARAMS = "generator.params";
    static final String EXTRAS_PREFIX = "extras/";
    private static final Pattern EXTRA_NAME = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    // Fixed entry time: bytes must not depend on when or in which time zone they were written.
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private final ModelConfig config;
    private final long step;
    private final int epoch;
    private final Instant createdAt;
    private final Map<String, String> metadata;
    private final byte[] generatorParams;
    private final Map<String, byte[]> extras;

    public Checkpoint(ModelConfig config, long step, int epoch, Instant createdAt, Map<String, String> metadata,
                      byte[] generatorParams, Map<String, byte[]> extras) {
        this.config = Objects.requireNonNull(config, "config");
        if (step < 0 || epoch < 0) {
            throw new IllegalArgumentException("step and epoch must be >= 0, got step " + step + ", epoch " + epoch);
        }
        this.step = step;
        this.epoch = epoch;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
        this.generatorParams = Objects.requireNonNull(generatorParams, "generatorParams").clone();
        TreeMap<String, byte[]> copy = new TreeMap<>();
        extras.forEach((name, bytes) -> {
            if (!EXTRA_NAME.matcher(name).matches() || List.of(name.split("/")).stream().anyMatch(
                    part -> part.equals(".") || part.equals(".."))) {
                throw new IllegalArgumentException("extra entry name '" + name + "' must match " + EXTRA_NAME
                        + " without '.' or '..' segments");
            }
            copy.put(name, Objects.requireNonNull(bytes, "extra " + name).clone());
        });
        this.extras = Collections.unmodifiableMap(copy);
    }

    /** Snapshot of a network's current parameters. */
    public static Checkpoint of(GeneratorNetwork network, long step, int epoch, Map<String, String> metadata,
                                Map<String, byte[]> extras) {
        return new Checkpoint(network.config(), step, epoch, Instant.now(), metadata, network.saveParameters(),
                extras);
    }

    public void writeTo(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        put(zip, MANIFEST, manifestJson());
        put(zip, PARAMS, generatorParams);
        for (Map.Entry<String, byte[]> e : extras.entrySet()) {
            put(zip, EXTRAS_PREFIX + e.getKey(), e.getValue());
        }
        zip.finish(); // not close: the caller owns the stream
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(generatorParams.length + 4096);
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Hex SHA-256 of {@link #toBytes()}: the bytes {@link #writeTo} writes. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(toBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a checkpoint; fails clearly on a newer format, a missing entry or a damaged manifest. */
    public static Checkpoint readFrom(InputStream in) throws IOException {
        JsonNode manifest = null;
        byte[] params = null;
        Map<String, byte[]> extras = new TreeMap<>();
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            byte[] bytes = zip.readAllBytes();
            String name = entry.getName();
            if (name.equals(MANIFEST)) {
                manifest = JSON.readTree(bytes);
            } else if (name.equals(PARAMS)) {
                params = bytes;
            } else if (name.startsWith(EXTRAS_PREFIX)) {
                extras.put(name.substring(EXTRAS_PREFIX.length()), bytes);
            }
        }
        if (manifest == null) {
            throw new IncompatibleCheckpointException("not a checkpoint: no " + MANIFEST + " entry");
        }
        int version = manifest.path("formatVersion").asInt(-1);
        if (version > FORMAT_VERSION) {
            throw new IncompatibleCheckpointException("checkpoint format version " + version
                    + " is newer than this build supports (" + FORMAT_VERSION + "); upgrade cimle to read it");
        }
        if (version < 1) {
            throw new IncompatibleCheckpointException("checkpoint manifest has no valid formatVersion: "
                    + manifest.path("formatVersion"));
        }
        if (params == null) {
            throw new IncompatibleCheckpointException("checkpoint has no " + PARAMS + " entry");
        }
        ModelConfig config = JSON.treeToValue(manifest.get("config"), ModelConfig.class);
        Map<String, String> metadata = new TreeMap<>();
        manifest.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        return new Checkpoint(config, manifest.path("step").asLong(), manifest.path("epoch").asInt(),
                Instant.parse(manifest.path("createdAt").asText()), metadata, params, extras);
    }

    private byte[] manifestJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.set("config", JSON.valueToTree(config));
        root.put("step", step);
        root.put("epoch", epoch);
        root.put("createdAt", createdAt.toString());
        root.set("metadata", JSON.valueToTree(metadata));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    public ModelConfig config() {
        return config;
    }

    public long step() {
        return step;
    }

    public int epoch() {
        return epoch;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The label set's JSON ({@link #LABEL_SET_KEY}), absent in checkpoints written without one. */
    public Optional<String> labelSetJson() {
        String json = metadata.get(LABEL_SET_KEY);
        return json == null || json.isBlank() ? Optional.empty() : Optional.of(json);
    }

    /** DJL's parameter bytes (a copy). */
    public byte[] generatorParams() {
        return generatorParams.clone();
    }

    /** Named extra entries (unmodifiable; the arrays are the checkpoint's own: do not modify). */
    public Map<String, byte[]> extras() {
        return extras;
    }

    @Override
    public String toString() {
        return "Checkpoint[" + config.presetName() + ", step " + step + ", epoch " + epoch + ", " + createdAt
                + ", extras " + extras.keySet() + "]";
    }
}
