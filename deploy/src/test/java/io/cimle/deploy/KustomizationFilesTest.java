package io.cimle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each kustomization.yaml lists files that exist, and every manifest is listed somewhere. */
class KustomizationFilesTest {

    @Test
    void everyKustomizationListsExistingFilesInsideItsRoot() {
        List<String> problems = new ArrayList<>();
        List<Path> all = DeployFiles.kustomizations();
        assertTrue(all.contains(DeployFiles.root().resolve("kustomization.yaml")), "kubectl apply -k deploy/ needs one");
        assertTrue(all.size() >= 6, "expected deploy/ itself, base, monitoring, two overlays and a component: " + all);
        for (Path kFile : all) {
            Path dir = kFile.getParent();
            Map<String, Object> k = DeployFiles.readSingle(kFile);
            for (String r : Kustomize.strings(k.get("resources"))) {
                checkResource(dir, r, problems);
            }
            for (String c : Kustomize.strings(k.get("components"))) {
                Path p = dir.resolve(c).normalize();
                if (!Files.isRegularFile(p.resolve("kustomization.yaml"))) {
                    problems.add(kFile + ": component " + c + " has no kustomization.yaml");
                }
            }
            for (Map<String, Object> patch : Kustomize.maps(k.get("patches"))) {
                if (patch.get("path") instanceof String path) {
                    checkFile(dir, path, kFile + ": patch", problems);
                } else if (!(patch.get("patch") instanceof String)) {
                    problems.add(kFile + ": patch entry without path or inline patch: " + patch);
                }
            }
            for (Map<String, Object> gen : Kustomize.maps(k.get("configMapGenerator"))) {
                for (String f : Kustomize.strings(gen.get("files"))) {
                    checkFile(dir, f.contains("=") ? f.substring(f.indexOf('=') + 1) : f,
                            kFile + ": configMapGenerator " + gen.get("name"), problems);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static void checkResource(Path dir, String r, List<String> problems) {
        Path p = dir.resolve(r).normalize();
        if (Files.isDirectory(p)) {
            if (!Files.isRegularFile(p.resolve("kustomization.yaml"))) {
                problems.add(dir + ": resource directory " + r + " has no kustomization.yaml");
            }
        } else {
            checkFile(dir, r, dir + ": resource", problems);
        }
    }

    /** kustomize's default load restrictor: files must lie under the kustomization's own directory. */
    private static void checkFile(Path dir, String f, String what, List<String> problems) {
        Path p = dir.resolve(f).normalize();
        if (!Files.isRegularFile(p)) {
            problems.add(what + " " + f + " does not exist");
        } else if (!p.startsWith(dir)) {
            problems.add(what + " " + f + " lies outside " + dir + " (kustomize refuses to load it)");
        }
    }

    @Test
    void everyManifestIsListedAndTheSecretExampleIsNot() throws IOException {
        Set<Path> listed = new HashSet<>();
        for (Path kFile : DeployFiles.kustomizations()) {
            Path dir = kFile.getParent();
            Map<String, Object> k = DeployFiles.readSingle(kFile);
            Kustomize.strings(k.get("resources")).forEach(r -> listed.add(dir.resolve(r).normalize()));
            Kustomize.maps(k.get("patches")).stream().filter(p -> p.get("path") != null)
                    .forEach(p -> listed.add(dir.resolve((String) p.get("path")).normalize()));
        }
        Path root = DeployFiles.root();
        List<Path> orphans = new ArrayList<>();
        for (String tree : List.of("base", "overlays", "components", "monitoring")) {
            try (Stream<Path> s = Files.walk(root.resolve(tree))) {
                s.filter(p -> p.toString().endsWith(".yaml"))
                        .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                        .filter(p -> !p.startsWith(root.resolve("monitoring/rules")))
                        .filter(p -> !listed.contains(p.normalize()))
                        .forEach(orphans::add);
            }
        }
        assertEquals(List.of(), orphans, "manifests no kustomization lists");
        Path example = root.resolve("secret.example.yaml");
        assertTrue(Files.isRegularFile(example), "secret.example.yaml documents the S3 Secret");
        assertFalse(listed.contains(example), "the secret example must not be applied");
    }
}
