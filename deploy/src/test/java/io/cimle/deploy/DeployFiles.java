package io.cimle.deploy;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Locations under deploy/ and YAML reading shared by the tests. */
final class DeployFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {
    }

    /** The deploy/ directory: surefire runs in the module directory, which is deploy/ itself. */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        if (Files.isDirectory(here.resolve("base")) && Files.isDirectory(here.resolve("overlays"))) {
            return here;
        }
        Path nested = here.resolve("deploy");
        if (Files.isDirectory(nested.resolve("base"))) {
            return nested;
        }
        throw new IllegalStateException("cannot find deploy/ from " + here);
    }

    static Path monitoring() {
        return root().resolve("monitoring");
    }

    /** Every YAML document of a file as a map; comment-only documents are skipped. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> readDocuments(Path file) {
        try (MappingIterator<Map<String, Object>> it = YAML.readerFor(Map.class).readValues(file.toFile())) {
            List<Map<String, Object>> docs = new ArrayList<>();
            while (it.hasNext()) {
                Map<String, Object> doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static Map<String, Object> readSingle(Path file) {
        List<Map<String, Object>> docs = readDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + ": expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    /** Every kustomization.yaml under deploy/ (node_modules and the build's target/ excluded). */
    static List<Path> kustomizations() {
        Path target = root().resolve("target");
        try (Stream<Path> s = Files.walk(root())) {
            return s.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .filter(p -> !p.toString().contains("node_modules") && !p.startsWith(target))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
