package io.cimle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl apply -k} sends, for deploy/, each overlay and each overlay with the KEDA
 * component, passes the real Kubernetes and CRD schemas (Strimzi, Prometheus Operator, KEDA):
 * {@code node manifest-check/check.mjs} runs each object's {@code @kubernetes-models} model
 * {@code .validate()} and, for unknown fields, tsc over the same packages' types. A second test
 * proves the check rejects what a cluster would.
 */
class ManifestSchemaTest {
    private static final Path ROOT = DeployFiles.root();

    @Test
    void everyRenderedObjectPassesTheKubernetesAndCrdSchemas() {
        Path keda = ROOT.resolve("components/keda");
        List<Path> renders = List.of(
                Kustomize.render(ROOT, "deploy"),
                Kustomize.render(ROOT.resolve("overlays/cpu"), "overlays-cpu"),
                Kustomize.render(ROOT.resolve("overlays/gpu"), "overlays-gpu"),
                Kustomize.render(ROOT.resolve("overlays/cpu"), "overlays-cpu+keda", keda),
                Kustomize.render(ROOT.resolve("overlays/gpu"), "overlays-gpu+keda", keda));
        ToolRunner.Result r = check(renders);
        assertEquals(0, r.exitCode(), "objects a cluster would reject:\n" + r.output());
        for (Path f : renders) {
            int objects = DeployFiles.readDocuments(f).size();
            assertTrue(objects >= 20, f + " holds a whole deployment");
            assertTrue(r.output().contains(f + ": " + objects + " objects ("), "every object of " + f
                    + " was checked:\n" + r.output());
        }
        // Every kind the operators own was among them (the renders hold each at least once).
        for (String kind : List.of("Kafka x1", "KafkaNodePool x1", "KafkaTopic x6", "ServiceMonitor x2",
                "PrometheusRule x1", "ScaledObject x1", "Deployment x2", "HorizontalPodAutoscaler x1")) {
            assertTrue(r.output().contains(kind), kind + " checked:\n" + r.output());
        }
    }

    /** One deliberate break of the CPU render and the violation the check must report for it. */
    private record Case(String name, Consumer<List<Map<String, Object>>> change, String expected) {
    }

    @Test
    void theCheckRejectsWhatAClusterWould() {
        List<Case> cases = List.of(
                new Case("deployment-replicas-two", docs -> spec(docs, "Deployment", "trainer-service").put("replicas", "two"),
                        "Deployment/trainer-service: schema: data/spec/replicas must be integer"),
                new Case("container-unknown-field", docs -> container(docs, "generator-service").put("imagePullPolicyy", "Always"),
                        "Deployment/generator-service: fields: TS2353: Object literal may only specify known properties,"
                                + " and '\"imagePullPolicyy\"' does not exist in type 'IContainer'"),
                new Case("container-port-string",
                        docs -> maps(container(docs, "generator-service").get("ports")).get(0).put("containerPort", "8080"),
                        "Deployment/generator-service: schema: data/spec/template/spec/containers/0/ports/0/containerPort"
                                + " must be integer"),
                new Case("topic-partitions-string", docs -> spec(docs, "KafkaTopic", "layouts.requests").put("partitions", "twelve"),
                        "KafkaTopic/layouts.requests: schema: data/spec/partitions must be integer"),
                new Case("topic-unknown-field", docs -> spec(docs, "KafkaTopic", "layouts.training").put("replica", 3),
                        "KafkaTopic/layouts.training: fields: TS2353: Object literal may only specify known properties,"
                                + " and '\"replica\"' does not exist"),
                new Case("nodepool-bad-role",
                        docs -> spec(docs, "KafkaNodePool", "dual-role").put("roles", List.of("controler", "broker")),
                        "KafkaNodePool/dual-role: schema: data/spec/roles/0 must be equal to one of the allowed values"),
                new Case("servicemonitor-interval",
                        docs -> maps(spec(docs, "ServiceMonitor", "generator-service").get("endpoints")).get(0)
                                .put("interval", "15 s"),
                        "ServiceMonitor/generator-service: schema: data/spec/endpoints/0/interval must match pattern"),
                new Case("unknown-kind", docs -> docs.add(object("apps/v1", "Deploymnet", "typo")),
                        "Deploymnet/typo: unknown kind: kubernetes-models has no Deploymnet in apps/v1"),
                new Case("kind-without-schema", docs -> docs.add(object("example.com/v1", "Widget", "w")),
                        "Widget/w: no schema package for API group of example.com/v1"));

        Path base = Kustomize.render(ROOT.resolve("overlays/cpu"), "overlays-cpu");
        Path unchanged = mutated(base, "unchanged", docs -> { });
        List<Path> files = new ArrayList<>(List.of(unchanged));
        cases.forEach(c -> files.add(mutated(base, c.name(), c.change())));
        ToolRunner.Result r = check(files);
        String out = r.output();
        assertEquals(1, r.exitCode(), out);
        int objects = DeployFiles.readDocuments(base).size();
        assertTrue(summaryOf(out, unchanged).startsWith(unchanged + ": " + objects + " objects ("), out);
        assertTrue(summaryOf(out, unchanged).endsWith(": all valid"), "the unchanged render passes in the same run:\n" + out);
        for (Case c : cases) {
            Path f = file(c.name());
            assertTrue(out.contains(f + ": " + c.expected()), c.name() + " is rejected with '" + c.expected() + "':\n" + out);
            assertTrue(summaryOf(out, f).matches(".*: [1-9][0-9]* violation\\(s\\)"), c.name() + " fails:\n" + out);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static ToolRunner.Result check(List<Path> files) {
        Path checker = ROOT.resolve("manifest-check");
        ToolRunner.requireOnPath("node");
        for (String pkg : List.of("typescript/bin/tsc", "kubernetes-models", "@kubernetes-models/strimzi-kafka-operator",
                "@kubernetes-models/prometheus-operator", "@kubernetes-models/keda", "yaml")) {
            if (!Files.exists(checker.resolve("node_modules").resolve(pkg))) {
                fail("deploy/manifest-check/node_modules/" + pkg + " is missing: run deploy/scripts/ensure-tools.sh (npm ci)");
            }
        }
        List<String> command = new ArrayList<>(List.of("node", "check.mjs"));
        files.forEach(f -> command.add(f.toString()));
        return ToolRunner.run(checker, command);
    }

    private static Path file(String name) {
        return ROOT.resolve("target/schema-cases").resolve(name + ".yaml");
    }

    /** The render's objects with one change, written as multi-document YAML to target/schema-cases/NAME.yaml. */
    private static Path mutated(Path render, String name, Consumer<List<Map<String, Object>>> change) {
        List<Map<String, Object>> docs = DeployFiles.readDocuments(render);
        change.accept(docs);
        Path out = file(name);
        try {
            StringBuilder yaml = new StringBuilder();
            for (Map<String, Object> d : docs) {
                yaml.append(DeployFiles.YAML.writeValueAsString(d));
            }
            Files.createDirectories(out.getParent());
            Files.writeString(out, yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The check's closing line for one file: {@code FILE: N objects (kinds): all valid | K violation(s)}. */
    private static String summaryOf(String output, Path file) {
        return output.lines().filter(l -> l.startsWith(file + ": ") && l.matches(".*: [0-9]+ objects \\(.*"))
                .findFirst().orElseGet(() -> fail("no summary for " + file + ":\n" + output));
    }

    private static Map<String, Object> object(String apiVersion, String kind, String name) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        o.put("metadata", new LinkedHashMap<>(Map.of("name", name, "namespace", "cimle")));
        return o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(Kustomize.kind(d)) && name.equals(Kustomize.name(d)))
                .map(d -> (Map<String, Object>) d.get("spec")).findFirst()
                .orElseGet(() -> fail("the render has no " + kind + "/" + name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(List<Map<String, Object>> docs, String deployment) {
        Map<String, Object> template = (Map<String, Object>) spec(docs, "Deployment", deployment).get("template");
        return maps(((Map<String, Object>) template.get("spec")).get("containers")).get(0);
    }

    private static List<Map<String, Object>> maps(Object o) {
        return Kustomize.maps(o);
    }
}
