package io.cimle.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LabelSets;
import io.cimle.core.data.LayoutDecoder;
import io.cimle.core.data.LayoutFormat;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.ComputeDevice;
import io.cimle.core.model.LatentCode;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.FileSystemObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Shared plumbing of the commands: checkpoints, layouts, codes as JSON, devices. */
final class CliSupport {
    static final String MODEL_NAME = "cimle";
    static final ObjectMapper JSON = new ObjectMapper();

    private CliSupport() {
    }

    static CheckpointStore store(Path dir) throws IOException {
        return new CheckpointStore(new FileSystemObjectStore(dir), 3, true);
    }

    /** A checkpoint file, or the newest checkpoint published under a training output directory. */
    static Checkpoint readCheckpoint(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            CheckpointStore store = store(path);
            Optional<CheckpointInfo> latest = store.latest(MODEL_NAME);
            if (latest.isEmpty()) {
                throw new IllegalArgumentException("no checkpoint of model '" + MODEL_NAME + "' under " + path);
            }
            return Checkpoint.readFrom(new ByteArrayInputStream(store.read(latest.get())));
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("checkpoint " + path + " does not exist");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return Checkpoint.readFrom(in);
        }
    }

    static LabelSet labelSet(Checkpoint checkpoint) {
        return checkpoint.labelSetJson().map(LabelSet::fromJson).orElse(LabelSets.TOY_SCENES);
    }

    static ClassMap readLayout(Path png, LabelSet labels) throws IOException {
        if (!Files.isRegularFile(png)) {
            throw new IllegalArgumentException("layout " + png + " does not exist");
        }
        return new LayoutDecoder(labels, LayoutFormat.CLASS_IDS).decode(Files.readAllBytes(png));
    }

    static Device device(String name) {
        return ComputeDevice.byName(name).resolve();
    }

    /** {"seed": s, "shape": [...]} for a seeded code, else {"shape": [...], "values": [...]}. */
    static String codeJson(LatentCode code) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.putPOJO("shape", code.shape());
        if (code.hasSeed()) {
            node.put("seed", code.seed());
        } else {
            node.putPOJO("values", code.values());
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    /** A code file written by {@link #codeJson}, or a bare number taken as a seed for this shape. */
    static LatentCode readCode(String fileOrSeed, int[] shape) throws IOException {
        if (fileOrSeed.matches("-?\\d+")) {
            return LatentCode.fromSeed(Long.parseLong(fileOrSeed), shape);
        }
        Path file = Path.of(fileOrSeed);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("code '" + fileOrSeed + "' is neither a seed nor an existing file");
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("code file " + file + " is not JSON: " + e.getMessage(), e);
        }
        int[] fileShape = node.has("shape") ? JSON.treeToValue(node.get("shape"), int[].class) : shape;
        if (node.has("seed")) {
            return LatentCode.fromSeed(node.get("seed").asLong(), fileShape);
        }
        if (node.has("values")) {
            return LatentCode.ofValues(JSON.treeToValue(node.get("values"), float[].class), fileShape);
        }
        throw new IllegalArgumentException("code file " + file + " has neither \"seed\" nor \"values\"");
    }
}
