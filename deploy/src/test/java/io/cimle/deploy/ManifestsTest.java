package io.cimle.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every manifest parses into typed fabric8 objects, and what `kubectl apply -k` sends for deploy/ and
 * each overlay (rendered by the real kustomize, {@link Kustomize}) is created on fabric8's mock API
 * server in CRUD mode. The schemas themselves are checked by {@link ManifestSchemaTest}.
 */
@EnableKubernetesMockClient(crud = true)
class ManifestsTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    /** CRDs of the operators the manifests need: Strimzi, Prometheus Operator, KEDA. */
    private static final List<String[]> CRDS = List.of(
            new String[] {"kafka.strimzi.io", "v1beta2", "Kafka", "kafkas"},
            new String[] {"kafka.strimzi.io", "v1beta2", "KafkaNodePool", "kafkanodepools"},
            new String[] {"kafka.strimzi.io", "v1beta2", "KafkaTopic", "kafkatopics"},
            new String[] {"monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors"},
            new String[] {"monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules"},
            new String[] {"keda.sh", "v1alpha1", "ScaledObject", "scaledobjects"});

    private static final Set<String> CUSTOM_KINDS = Set.of("Kafka", "KafkaNodePool", "KafkaTopic", "ScaledObject");

    @BeforeEach
    void freshServerWithCrds() {
        server.reset();
        registerCrds();
    }

    private static void registerCrds() {
        for (String[] c : CRDS) {
            CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName(c[3] + "." + c[0]).endMetadata()
                    .withNewSpec().withGroup(c[0]).withScope("Namespaced")
                    .withNewNames().withKind(c[2]).withPlural(c[3]).withSingular(c[2].toLowerCase()).endNames()
                    .addNewVersion().withName(c[1]).withServed(true).withStorage(true)
                    .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                    .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                    .endVersion().endSpec().build();
            if (client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get() == null) {
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            }
        }
    }

    // ---------------------------------------------------------------- every file parses, typed

    @Test
    void everyManifestFileParsesIntoTypedObjectsWithoutUnknownFields() throws IOException {
        Path root = DeployFiles.root();
        List<Path> files = new ArrayList<>();
        for (String tree : List.of("base", "overlays", "components", "monitoring")) {
            try (Stream<Path> s = Files.walk(root.resolve(tree))) {
                s.filter(p -> p.toString().endsWith(".yaml"))
                        .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                        .filter(p -> !p.startsWith(root.resolve("monitoring/rules")))
                        .filter(p -> !p.getFileName().toString().equals("delete-hpa.yaml"))
                        .forEach(files::add);
            }
        }
        files.add(root.resolve("secret.example.yaml"));
        assertTrue(files.size() >= 20, "found only " + files);
        for (Path f : files) {
            List<HasMetadata> items = load(DeployFiles.read(f), f.toString());
            assertEquals(DeployFiles.readDocuments(f).size(), items.size(), f + ": every document parsed");
            for (HasMetadata item : items) {
                assertTyped(item, f.toString());
            }
        }
    }

    // ---------------------------------------------------------------- overlays on the mock server

    @Test
    void deployItselfRendersTheCpuOverlay() {
        List<Map<String, Object>> deploy = Kustomize.build(DeployFiles.root());
        assertEquals(render("overlays/cpu"), deploy, "kubectl apply -k deploy/ applies the CPU overlay");
        assertTrue(deploy.size() >= 20, "a whole deployment: " + deploy.size() + " objects");
        assertFalse(render("overlays/gpu").equals(deploy), "the GPU overlay differs");
    }

    @Test
    void cpuOverlayIsAcceptedByTheApiServer() {
        List<HasMetadata> created = apply(render("overlays/cpu"));
        Deployment trainer = get(created, Deployment.class, "trainer-service");
        Container t = trainer.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("cimle/trainer-service:0.1.0", t.getImage());
        assertEquals("cpu", env(t, "CIMLE_MODEL_DEVICE"));
        assertNull(t.getResources().getLimits().get("nvidia.com/gpu"));
        assertNotNull(get(created, HorizontalPodAutoscaler.class, "generator-service"));
        // What the server stores is what we sent.
        Deployment stored = client.apps().deployments().inNamespace("cimle").withName("trainer-service").get();
        assertEquals(2, stored.getSpec().getReplicas());
        assertEquals("cimle/generator-service:0.1.0",
                client.apps().deployments().inNamespace("cimle").withName("generator-service").get()
                        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(6, client.genericKubernetesResources("kafka.strimzi.io/v1beta2", "KafkaTopic")
                .inNamespace("cimle").list().getItems().size());
    }

    @Test
    void gpuOverlayRequestsGpusRunsCudaImagesAndThePaperPreset() {
        List<HasMetadata> created = apply(render("overlays/gpu"));
        for (String name : List.of("trainer-service", "generator-service")) {
            PodSpec pod = get(created, Deployment.class, name).getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            assertEquals("cimle/" + name + ":0.1.0-cuda", c.getImage());
            assertEquals("gpu", env(c, "CIMLE_MODEL_DEVICE"));
            assertEquals(new Quantity("1"), c.getResources().getLimits().get("nvidia.com/gpu"), name);
            assertEquals(new Quantity("1"), c.getResources().getRequests().get("nvidia.com/gpu"), name);
            assertEquals("true", pod.getNodeSelector().get("nvidia.com/gpu.present"));
            assertTrue(pod.getTolerations().stream().anyMatch(tol -> "nvidia.com/gpu".equals(tol.getKey())
                    && "NoSchedule".equals(tol.getEffect())), name + " tolerates GPU taints");
            // The merge kept the base: probes, env, the read-only root and its writable mounts.
            assertEquals("AVX2", env(c, "ONEDNN_MAX_CPU_ISA"));
            assertEquals("PASSIVE", env(c, "OMP_WAIT_POLICY"));
            assertNotNull(c.getReadinessProbe());
            assertEquals(2, pod.getVolumes().size(), name + " volumes");
            assertEquals("8Gi", pod.getVolumes().stream().filter(v -> v.getName().equals("djl-cache"))
                    .findFirst().orElseThrow().getEmptyDir().getSizeLimit().toString());
        }
        Container trainer = get(created, Deployment.class, "trainer-service").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertEquals("paper", env(trainer, "CIMLE_TRAINER_PRESET"));
        checkSecurityAndProbes(created);
    }

    @Test
    void kedaComponentReplacesTheHpaWithALagScaledObject() {
        for (String overlay : List.of("overlays/cpu", "overlays/gpu")) {
            server.reset();
            registerCrds();
            List<Map<String, Object>> docs = Kustomize.build(DeployFiles.root().resolve(overlay),
                    DeployFiles.root().resolve("components/keda"));
            List<HasMetadata> created = apply(docs);
            assertTrue(created.stream().noneMatch(HorizontalPodAutoscaler.class::isInstance),
                    overlay + "+keda: KEDA owns the HPA");
            GenericKubernetesResource so = created.stream().filter(r -> r.getKind().equals("ScaledObject"))
                    .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
            assertEquals("generator-service", so.get("spec", "scaleTargetRef", "name"));
            List<Map<String, Object>> triggers = so.get("spec", "triggers");
            assertTrue(triggers.stream().anyMatch(t -> "prometheus".equals(t.get("type"))
                    && String.valueOf(((Map<?, ?>) t.get("metadata")).get("query")).contains("cimle_generator_consumer_lag")));
            assertEquals(1, client.genericKubernetesResources("keda.sh/v1alpha1", "ScaledObject")
                    .inNamespace("cimle").list().getItems().size());
        }
    }

    @Test
    void baseHasWhatTheServicesNeed() {
        List<HasMetadata> created = apply(render("overlays/cpu"));
        checkSecurityAndProbes(created);

        Deployment trainer = get(created, Deployment.class, "trainer-service");
        assertEquals(2, trainer.getSpec().getReplicas(), "two trainers: leader and standby");
        assertEquals("trainer-service", trainer.getSpec().getTemplate().getSpec().getServiceAccountName());
        Container t = trainer.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("true", env(t, "CIMLE_TRAINER_LEADER_ELECTION_ENABLED"));
        assertEquals("metadata.name", envVar(t, "POD_NAME").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("metadata.namespace", envVar(t, "POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath());
        assertEquals(8081, t.getPorts().get(0).getContainerPort());

        Role role = get(created, Role.class, "trainer-leader-election");
        assertEquals(1, role.getRules().size());
        PolicyRule rule = role.getRules().get(0);
        assertEquals(List.of("coordination.k8s.io"), rule.getApiGroups());
        assertEquals(List.of("leases"), rule.getResources());
        assertEquals(Set.of("get", "list", "watch", "create", "update", "patch"), Set.copyOf(rule.getVerbs()));
        assertEquals(6, rule.getVerbs().size());
        RoleBinding rb = get(created, RoleBinding.class, "trainer-leader-election");
        assertEquals("trainer-service", rb.getSubjects().get(0).getName());
        assertEquals("cimle", rb.getSubjects().get(0).getNamespace());
        assertNotNull(get(created, ServiceAccount.class, "trainer-service"));

        assertEquals(8080, get(created, Service.class, "generator-service").getSpec().getPorts().get(0).getPort());
        assertEquals(8081, get(created, Service.class, "trainer-service").getSpec().getPorts().get(0).getPort());
        HorizontalPodAutoscaler hpa = get(created, HorizontalPodAutoscaler.class, "generator-service");
        assertEquals("generator-service", hpa.getSpec().getScaleTargetRef().getName());
        assertNotNull(get(created, PodDisruptionBudget.class, "generator-service").getSpec().getMinAvailable());

        // S3 credentials only by reference; no Secret is shipped in any overlay.
        assertTrue(created.stream().noneMatch(r -> r.getKind().equals("Secret")), "no Secret in the manifests");
        for (String name : List.of("trainer-service", "generator-service")) {
            Container c = get(created, Deployment.class, name).getSpec().getTemplate().getSpec().getContainers().get(0);
            for (String key : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "CIMLE_STORAGE_S3_ENDPOINT",
                    "CIMLE_STORAGE_S3_BUCKET")) {
                EnvVar v = envVar(c, key);
                assertNull(v.getValue(), name + " " + key + " must not be literal");
                assertEquals("cimle-s3", v.getValueFrom().getSecretKeyRef().getName());
            }
            assertEquals("-Dai.djl.offline=true", env(c, "JAVA_OPTS_APPEND"));
            assertEquals("AVX2", env(c, "ONEDNN_MAX_CPU_ISA"));
            assertEquals("PASSIVE", env(c, "OMP_WAIT_POLICY"));
        }

        ConfigMap dashboards = get(created, ConfigMap.class, "cimle-grafana-dashboards");
        assertEquals("1", dashboards.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals(Set.of("generator.json", "trainer.json"), dashboards.getData().keySet());
        assertNotNull(get(created, ServiceMonitor.class, "generator-service"));
        assertNotNull(get(created, ServiceMonitor.class, "trainer-service"));
        assertNotNull(get(created, PrometheusRule.class, "cimle"));

        Set<String> policies = created.stream().filter(NetworkPolicy.class::isInstance).map(r -> r.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("generator-service", "trainer-service"), policies);
        NetworkPolicy gen = get(created, NetworkPolicy.class, "generator-service");
        assertEquals(List.of("Ingress", "Egress"), gen.getSpec().getPolicyTypes());
        assertEquals(8080, gen.getSpec().getIngress().get(0).getPorts().get(0).getPort().getIntVal());
    }

    @Test
    void kafkaIsKraftWithEveryTopicAndTheRecordLimit() {
        List<HasMetadata> created = apply(render("overlays/cpu"));
        GenericKubernetesResource kafka = generic(created, "Kafka", "cimle");
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/kraft"));
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/node-pools"));
        assertEquals(1048588, ((Number) kafka.get("spec", "kafka", "config", "message.max.bytes")).intValue());
        GenericKubernetesResource pool = created.stream().filter(r -> r.getKind().equals("KafkaNodePool"))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
        assertEquals("cimle", pool.getMetadata().getLabels().get("strimzi.io/cluster"));
        assertEquals(List.of("controller", "broker"), pool.get("spec", "roles"));

        Map<String, String> expected = Map.of("layouts.training", "delete", "layouts.requests", "delete",
                "samples.generated", "delete", "checkpoints", "compact",
                "layouts.training.dlq", "delete", "layouts.requests.dlq", "delete");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            GenericKubernetesResource topic = generic(created, "KafkaTopic", e.getKey());
            assertEquals("cimle", topic.getMetadata().getLabels().get("strimzi.io/cluster"));
            assertEquals(e.getKey(), topic.get("spec", "topicName"));
            assertEquals(e.getValue(), topic.get("spec", "config", "cleanup.policy"), e.getKey());
            assertEquals(1048588, ((Number) topic.get("spec", "config", "max.message.bytes")).intValue(), e.getKey());
            assertTrue(((Number) topic.get("spec", "partitions")).intValue() >= 1);
            assertNotNull(topic.get("spec", "config", "retention.ms"), e.getKey());
        }
        assertEquals(expected.size(), created.stream().filter(r -> r.getKind().equals("KafkaTopic")).count());
        // Partitions bound the generator's useful replicas.
        int requestPartitions = ((Number) generic(created, "KafkaTopic", "layouts.requests").get("spec", "partitions")).intValue();
        assertTrue(get(created, HorizontalPodAutoscaler.class, "generator-service").getSpec().getMaxReplicas() <= requestPartitions);
    }

    @Test
    void theBrokerAllowsTheServicesShortConsumerSessions() throws IOException {
        GenericKubernetesResource kafka = generic(apply(render("overlays/cpu")), "Kafka", "cimle");
        // Kafka's defaults where the Kafka resource sets nothing.
        int min = intOr(kafka.get("spec", "kafka", "config", "group.min.session.timeout.ms"), 6000);
        int max = intOr(kafka.get("spec", "kafka", "config", "group.max.session.timeout.ms"), 1_800_000);
        // Where each service's request consumer reads its Kafka properties.
        Map<String, String> consumers = Map.of("generator-service", "cimle.generator.requests.kafka.",
                "trainer-service", "mp.messaging.incoming.pairs.");
        for (Map.Entry<String, String> e : consumers.entrySet()) {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(DeployFiles.root().getParent()
                    .resolve(e.getKey() + "/src/main/resources/application.properties"))) {
                p.load(in);
            }
            String prefix = e.getValue();
            String session = p.getProperty(prefix + "session.timeout.ms");
            String heartbeat = p.getProperty(prefix + "heartbeat.interval.ms");
            assertNotNull(session, e.getKey() + " ships a session timeout (Kafka's 45 s default delays failover)");
            assertNotNull(heartbeat, e.getKey() + " ships a heartbeat interval");
            int s = Integer.parseInt(session);
            assertTrue(s >= min && s <= max, e.getKey() + ": session " + s + " ms outside the broker's [" + min + ", "
                    + max + "]: the consumer could not join");
            assertTrue(s <= 10_000, e.getKey() + ": a crashed pod's partitions wait " + s + " ms");
            assertTrue(3 * Integer.parseInt(heartbeat) <= s, e.getKey() + ": heartbeat at most a third of the session");
        }
    }

    private static int intOr(Object value, int fallback) {
        return value == null ? fallback : Integer.parseInt(String.valueOf(value));
    }

    // ---------------------------------------------------------------- helpers

    private static void checkSecurityAndProbes(List<HasMetadata> created) {
        for (Deployment d : created.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList()) {
            String name = d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            assertTrue(pod.getSecurityContext().getRunAsNonRoot(), name);
            assertEquals(185L, pod.getSecurityContext().getRunAsUser(), name);
            assertNull(pod.getHostNetwork(), name);
            Set<String> mounts = new TreeSet<>();
            for (Container c : pod.getContainers()) {
                var sc = c.getSecurityContext();
                assertTrue(sc.getRunAsNonRoot(), name);
                assertEquals(185L, sc.getRunAsUser(), name);
                assertFalse(sc.getAllowPrivilegeEscalation(), name);
                assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), name);
                assertTrue(sc.getReadOnlyRootFilesystem(), name);
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), name);
                assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), name);
                assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), name);
                assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), name);
                assertNotNull(c.getResources().getRequests().get("cpu"), name);
                assertNotNull(c.getResources().getLimits().get("memory"), name);
                c.getVolumeMounts().forEach(m -> mounts.add(m.getMountPath()));
                assertTrue(mounts.contains(env(c, "DJL_CACHE_DIR")), name + ": DJL cache dir is writable");
            }
            assertTrue(mounts.contains("/tmp"), name);
            pod.getVolumes().forEach(v -> assertNotNull(v.getEmptyDir(), name + " volume " + v.getName()));
        }
    }

    private static List<Map<String, Object>> render(String overlay) {
        return Kustomize.build(DeployFiles.root().resolve(overlay));
    }

    /** Parses each rendered document and creates it on the mock API server. */
    private static List<HasMetadata> apply(List<Map<String, Object>> docs) {
        List<HasMetadata> created = new ArrayList<>();
        for (Map<String, Object> doc : docs) {
            String yaml;
            try {
                yaml = DeployFiles.YAML.writeValueAsString(doc);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            for (HasMetadata item : load(yaml, Kustomize.kind(doc) + "/" + Kustomize.name(doc))) {
                assertTyped(item, item.getKind() + "/" + item.getMetadata().getName());
                if (!item.getKind().equals("Namespace")) {
                    assertEquals("cimle", item.getMetadata().getNamespace(), item.getKind() + "/"
                            + item.getMetadata().getName() + " lands in namespace cimle");
                }
                HasMetadata back = client.resource(item).create();
                assertEquals(item.getMetadata().getName(), back.getMetadata().getName());
                assertNotNull(back.getMetadata().getUid(), "server assigned a uid");
                created.add(item);
            }
        }
        long distinct = created.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).distinct().count();
        assertEquals(created.size(), distinct, "no two resources share kind and name");
        return created;
    }

    private static List<HasMetadata> load(String yaml, String where) {
        try {
            return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
        } catch (RuntimeException e) {
            throw new AssertionError(where + " does not parse: " + e.getMessage(), e);
        }
    }

    private static void assertTyped(HasMetadata item, String where) {
        if (CUSTOM_KINDS.contains(item.getKind())) {
            assertInstanceOf(GenericKubernetesResource.class, item, where);
            return;
        }
        assertFalse(item instanceof GenericKubernetesResource, where + ": " + item.getKind() + " has no typed model");
        List<String> unknown = new ArrayList<>();
        findUnknownFields(item, item.getKind(), unknown);
        assertEquals(List.of(), unknown, where + ": fields the typed model does not know (typos?)");
    }

    /** fabric8 models keep unknown fields in additionalProperties; any entry there is a typo. */
    private static void findUnknownFields(Object o, String path, List<String> out) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                findUnknownFields(e, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> findUnknownFields(v, path + "." + k, out));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
            } else {
                findUnknownFields(v, path + "." + m.getName().substring(3), out);
            }
        }
    }

    private static <T extends HasMetadata> T get(List<HasMetadata> all, Class<T> type, String name) {
        return all.stream().filter(type::isInstance).map(type::cast)
                .filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseGet(() -> fail("no " + type.getSimpleName() + " " + name));
    }

    private static GenericKubernetesResource generic(List<HasMetadata> all, String kind, String name) {
        return all.stream().filter(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name))
                .map(GenericKubernetesResource.class::cast).findFirst()
                .orElseGet(() -> fail("no " + kind + " " + name));
    }

    private static EnvVar envVar(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseGet(() -> fail(c.getName() + " has no env " + name));
    }

    private static String env(Container c, String name) {
        return envVar(c, name).getValue();
    }
}
