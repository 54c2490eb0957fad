package io.cimle.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * What earlier runs left in the work folder ({@code state.json}: the data set produced, the seconds
 * trained), so a rerun of the demo redoes nothing it already did.
 */
final class DemoState {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final ObjectNode node;
    private final String dataKey;

    private DemoState(Path file, ObjectNode node, String dataKey) {
        this.file = file;
        this.node = node;
        this.dataKey = dataKey;
    }

    /**
     * The state of {@code work} for a run of {@code dataKey} (preset/pairs); {@code fresh} deletes the folder
     * first. A folder that holds another data set is refused rather than mixed.
     */
    static DemoState open(Path work, String dataKey, boolean fresh) throws IOException {
        if (fresh) {
            deleteRecursively(work);
        }
        Files.createDirectories(work);
        Path file = work.resolve("state.json");
        ObjectNode node = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
        if (node.has("data") && !node.get("data").asText().equals(dataKey)) {
            throw new IllegalArgumentException("the work folder " + work + " holds a run with " + node.get("data").asText()
                    + " (preset/pairs); use --fresh to start over with " + dataKey);
        }
        return new DemoState(file, node, dataKey);
    }

    String dataKey() {
        return dataKey;
    }

    boolean dataProduced() {
        return node.has("data");
    }

    void markDataProduced() throws IOException {
        node.put("data", dataKey);
        save();
    }

    double trainedSeconds() {
        return node.path("trainedSeconds").asDouble(0);
    }

    void addTrainedSeconds(double seconds) throws IOException {
        node.put("trainedSeconds", trainedSeconds() + seconds);
        save();
    }

    private void save() throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
