package io.cimle.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders a kustomization with the real kustomize, {@code kubectl kustomize DIR}: its output is
 * exactly what {@code kubectl apply -k DIR} sends to a cluster. A missing kubectl fails the test
 * with a pointer to {@code deploy/scripts/ensure-tools.sh}.
 */
final class Kustomize {
    private Kustomize() {
    }

    /** The rendered objects of the kustomization in {@code dir}, plus extra components (as an overlay would add them). */
    static List<Map<String, Object>> build(Path dir, Path... extraComponents) {
        return DeployFiles.readDocuments(render(dir, nameOf(dir, extraComponents), extraComponents));
    }

    /** A file name for a render: {@code overlays-gpu+keda}, {@code deploy} for deploy/ itself. */
    static String nameOf(Path dir, Path... extraComponents) {
        String name = DeployFiles.root().relativize(dir.toAbsolutePath().normalize()).toString().replace('/', '-');
        StringBuilder s = new StringBuilder(name.isEmpty() ? "deploy" : name);
        for (Path c : extraComponents) {
            s.append('+').append(c.getFileName());
        }
        return s.toString();
    }

    /**
     * Renders {@code dir} into {@code target/rendered/NAME.yaml} and returns that file. With extra
     * components, a kustomization of its own under {@code target/} lists {@code dir} as its resource
     * and the components, with the namespace the overlays set: what a user's overlay that
     * un-comments {@code components:} renders.
     */
    static Path render(Path dir, String name, Path... extraComponents) {
        ToolRunner.requireOnPath("kubectl");
        Path root = dir;
        if (extraComponents.length > 0) {
            Path wrapper = DeployFiles.root().resolve("target/kustomize").resolve(name);
            StringBuilder k = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
                    .append("namespace: cimle\nresources:\n  - ").append(relative(wrapper, dir)).append("\ncomponents:\n");
            for (Path c : extraComponents) {
                k.append("  - ").append(relative(wrapper, c)).append('\n');
            }
            write(wrapper.resolve("kustomization.yaml"), k.toString());
            root = wrapper;
        }
        ToolRunner.Result r = ToolRunner.run(DeployFiles.root(), List.of("kubectl", "kustomize", root.toString()));
        if (r.exitCode() != 0) {
            fail("kubectl kustomize " + root + " failed:\n" + r.output());
        }
        Path out = DeployFiles.root().resolve("target/rendered").resolve(name + ".yaml");
        write(out, r.output());
        return out;
    }

    /** kustomize refuses absolute resource paths: a path from the wrapper's directory. */
    private static String relative(Path from, Path to) {
        return from.toAbsolutePath().normalize().relativize(to.toAbsolutePath().normalize()).toString();
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String kind(Map<String, Object> r) {
        return (String) r.get("kind");
    }

    @SuppressWarnings("unchecked")
    static String name(Map<String, Object> r) {
        return (String) ((Map<String, Object>) r.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object o) {
        return o == null ? List.of() : (List<String>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }
}
