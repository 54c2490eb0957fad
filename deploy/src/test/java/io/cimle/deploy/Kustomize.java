package io.cimle.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A small subset of kustomize, enough to render our overlays without a kustomize binary (none
 * installs from Debian or Maven Central): resources (files and kustomization directories),
 * components, strategic-merge patches (by kind and name, including {@code $patch: delete}),
 * configMapGenerator with files, images and namespace. Features outside this subset fail loudly,
 * so a kustomization cannot silently use something the tests do not model.
 *
 * <p>Strategic merge is approximated with the merge keys our patches touch (containers, env,
 * volumes by name; volumeMounts by mountPath); other lists are replaced, as kustomize does for
 * lists without a merge key (tolerations).
 */
final class Kustomize {
    private static final Set<String> KNOWN_FIELDS = Set.of("apiVersion", "kind", "resources", "components",
            "patches", "images", "namespace", "configMapGenerator");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PriorityClass", "StorageClass");
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
            "env", "name", "volumes", "name", "volumeMounts", "mountPath");

    private Kustomize() {
    }

    /** Renders the kustomization in {@code dir}, optionally adding extra components (as an overlay would). */
    static List<Map<String, Object>> build(Path dir, Path... extraComponents) {
        Map<String, Object> k = DeployFiles.readSingle(dir.resolve("kustomization.yaml"));
        for (String key : k.keySet()) {
            if (!KNOWN_FIELDS.contains(key)) {
                throw new IllegalArgumentException(dir + "/kustomization.yaml uses '" + key
                        + "', which the test renderer does not model: extend Kustomize.java");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String r : strings(k.get("resources"))) {
            Path p = dir.resolve(r).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(build(p));
            } else {
                out.addAll(DeployFiles.readDocuments(p));
            }
        }
        for (Map<String, Object> gen : maps(k.get("configMapGenerator"))) {
            out.add(configMap(dir, gen));
        }
        List<Path> components = new ArrayList<>();
        for (String c : strings(k.get("components"))) {
            components.add(dir.resolve(c).normalize());
        }
        components.addAll(List.of(extraComponents));
        for (Path c : components) {
            Map<String, Object> ck = DeployFiles.readSingle(c.resolve("kustomization.yaml"));
            if (!"Component".equals(ck.get("kind"))) {
                throw new IllegalArgumentException(c + " is not a kustomize Component");
            }
            for (String r : strings(ck.get("resources"))) {
                out.addAll(DeployFiles.readDocuments(c.resolve(r)));
            }
            applyPatches(c, ck, out);
        }
        applyPatches(dir, k, out);
        for (Map<String, Object> image : maps(k.get("images"))) {
            out.forEach(res -> setImage(res, image));
        }
        if (k.get("namespace") instanceof String ns) {
            out.forEach(res -> setNamespace(res, ns));
        }
        return out;
    }

    private static void applyPatches(Path dir, Map<String, Object> k, List<Map<String, Object>> resources) {
        for (Map<String, Object> patchRef : maps(k.get("patches"))) {
            if (patchRef.containsKey("target")) {
                throw new IllegalArgumentException(dir + ": patches with target are not modelled");
            }
            Map<String, Object> patch = patchRef.get("path") instanceof String path
                    ? DeployFiles.readSingle(dir.resolve(path))
                    : DeployFiles.readDocuments(writeTemp((String) patchRef.get("patch"))).get(0);
            Map<String, Object> target = find(resources, kind(patch), name(patch));
            if (target == null) {
                throw new IllegalArgumentException(dir + ": patch for " + kind(patch) + "/" + name(patch)
                        + " matches no resource");
            }
            if ("delete".equals(patch.get("$patch"))) {
                resources.remove(target);
            } else {
                merge(target, patch);
            }
        }
    }

    static Map<String, Object> find(List<Map<String, Object>> resources, String kind, String name) {
        for (Map<String, Object> r : resources) {
            if (kind.equals(kind(r)) && name.equals(name(r))) {
                return r;
            }
        }
        return null;
    }

    static String kind(Map<String, Object> r) {
        return (String) r.get("kind");
    }

    @SuppressWarnings("unchecked")
    static String name(Map<String, Object> r) {
        return (String) ((Map<String, Object>) r.get("metadata")).get("name");
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String key = e.getKey();
            Object pv = e.getValue();
            Object tv = target.get(key);
            if (key.startsWith("$")) {
                throw new IllegalArgumentException("patch directive " + key + " is not modelled");
            } else if (pv instanceof Map<?, ?> pm && tv instanceof Map<?, ?> tm) {
                merge((Map<String, Object>) tm, (Map<String, Object>) pm);
            } else if (pv instanceof List<?> pl && tv instanceof List<?> tl && MERGE_KEYS.containsKey(key)) {
                mergeList((List<Object>) tl, (List<Object>) pl, MERGE_KEYS.get(key));
            } else {
                target.put(key, pv);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void mergeList(List<Object> target, List<Object> patch, String mergeKey) {
        for (Object p : patch) {
            Map<String, Object> pm = (Map<String, Object>) p;
            Object id = Objects.requireNonNull(pm.get(mergeKey), "list item without " + mergeKey);
            Map<String, Object> existing = null;
            for (Object t : target) {
                if (id.equals(((Map<String, Object>) t).get(mergeKey))) {
                    existing = (Map<String, Object>) t;
                }
            }
            if (existing == null) {
                target.add(pm);
            } else {
                merge(existing, pm);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void setImage(Map<String, Object> res, Map<String, Object> image) {
        Object spec = res.get("spec");
        if (!(spec instanceof Map<?, ?> s) || !(s.get("template") instanceof Map<?, ?> tpl)
                || !(tpl.get("spec") instanceof Map<?, ?> podSpec)) {
            return;
        }
        for (Object c : (List<Object>) ((Map<String, Object>) podSpec).getOrDefault("containers", List.of())) {
            Map<String, Object> container = (Map<String, Object>) c;
            String img = (String) container.get("image");
            int colon = img.lastIndexOf(':');
            String repo = colon < 0 ? img : img.substring(0, colon);
            String tag = colon < 0 ? "latest" : img.substring(colon + 1);
            if (repo.equals(image.get("name"))) {
                String newRepo = (String) image.getOrDefault("newName", repo);
                String newTag = String.valueOf(image.getOrDefault("newTag", tag));
                container.put("image", newRepo + ":" + newTag);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void setNamespace(Map<String, Object> res, String ns) {
        if (CLUSTER_SCOPED.contains(kind(res))) {
            return;
        }
        ((Map<String, Object>) res.get("metadata")).put("namespace", ns);
        if (kind(res).equals("RoleBinding")) {
            for (Map<String, Object> subject : maps(res.get("subjects"))) {
                if ("ServiceAccount".equals(subject.get("kind"))) {
                    subject.put("namespace", ns);
                }
            }
        }
    }

    private static Map<String, Object> configMap(Path dir, Map<String, Object> gen) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (String f : strings(gen.get("files"))) {
            int eq = f.indexOf('=');
            String key = eq < 0 ? Path.of(f).getFileName().toString() : f.substring(0, eq);
            data.put(key, DeployFiles.read(dir.resolve(eq < 0 ? f : f.substring(eq + 1))));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) gen.getOrDefault("options", Map.of());
        String name = (String) gen.get("name");
        if (!Boolean.TRUE.equals(options.get("disableNameSuffixHash"))) {
            name += "-" + HexFormat.of().toHexDigits(data.hashCode()).substring(0, 8);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("labels", new LinkedHashMap<>((Map<?, ?>) options.getOrDefault("labels", Map.of())));
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        cm.put("metadata", metadata);
        cm.put("data", data);
        return cm;
    }

    private static Path writeTemp(String yaml) {
        try {
            Path p = Files.createTempFile("patch", ".yaml");
            Files.writeString(p, yaml);
            p.toFile().deleteOnExit();
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
