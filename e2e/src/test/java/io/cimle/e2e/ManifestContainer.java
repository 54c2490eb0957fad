package io.cimle.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container of a deploy/base Deployment, turned into the {@code podman run} arguments that run it as
 * the cluster would: its user and group, read-only root, dropped capabilities, no privilege escalation,
 * its emptyDirs as tmpfs mounts of their size limit, its memory limit, and its environment (values,
 * the ConfigMap it reads, the pod's name and namespace). What the test changes (the broker address, a
 * host volume instead of S3, no Kubernetes API for leader election) is passed as explicit overrides, so
 * everything else is the manifest's.
 */
final class ManifestContainer {
    final Deployment deployment;
    final Container container;
    private final Map<String, String> configMap;

    private ManifestContainer(Deployment deployment, Map<String, String> configMap) {
        this.deployment = deployment;
        this.container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        this.configMap = configMap;
    }

    /** The Deployment in {@code deploy/base/<dir>/deployment.yaml}, with the shared ConfigMap it reads. */
    static ManifestContainer of(Path root, String dir) throws IOException {
        Deployment d = read(root.resolve("deploy/base/" + dir + "/deployment.yaml"), Deployment.class);
        ConfigMap cm = read(root.resolve("deploy/base/common/config.yaml"), ConfigMap.class);
        return new ManifestContainer(d, Map.copyOf(cm.getData()));
    }

    private static <T> T read(Path yaml, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(yaml)) {
            return Serialization.unmarshal(in, type);
        }
    }

    /** The image as a cluster resolves the manifest's name: a first component without a dot names no registry. */
    String image() {
        String image = container.getImage();
        String first = image.substring(0, Math.max(image.indexOf('/'), 0));
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? image : "docker.io/" + image;
    }

    long runAsUser() {
        SecurityContext c = container.getSecurityContext();
        PodSecurityContext p = pod().getSecurityContext();
        return c != null && c.getRunAsUser() != null ? c.getRunAsUser() : p.getRunAsUser();
    }

    long runAsGroup() {
        SecurityContext c = container.getSecurityContext();
        PodSecurityContext p = pod().getSecurityContext();
        return c != null && c.getRunAsGroup() != null ? c.getRunAsGroup() : p.getRunAsGroup();
    }

    /** The environment the pod would see: ConfigMap first, then env values (later wins, as in Kubernetes). */
    Map<String, String> environment(String podName, Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            if (from.getConfigMapRef() == null || !"cimle-config".equals(from.getConfigMapRef().getName())) {
                throw new IllegalStateException("unexpected envFrom " + from + ": teach the test to read it");
            }
            env.putAll(configMap);
        }
        for (EnvVar v : container.getEnv()) {
            if (v.getValueFrom() == null) {
                env.put(v.getName(), v.getValue());
            } else if (v.getValueFrom().getFieldRef() != null) {
                String field = v.getValueFrom().getFieldRef().getFieldPath();
                env.put(v.getName(), switch (field) {
                    case "metadata.name" -> podName;
                    case "metadata.namespace" -> "cimle";
                    default -> throw new IllegalStateException("unexpected fieldRef " + field);
                });
            } else if (v.getValueFrom().getSecretKeyRef() != null) {
                // The S3 Secret: this run uses the filesystem store on a host volume instead (an override).
                continue;
            } else {
                throw new IllegalStateException("unexpected valueFrom in " + v.getName());
            }
        }
        for (String key : overrides.keySet()) {
            if (!env.containsKey(key) && !key.startsWith("QUARKUS_") && !key.startsWith("CIMLE_TRAINER_IMLE_")) {
                // An override must replace what the manifest says, or be a plain Quarkus/IMLE knob.
                throw new IllegalStateException("override " + key + " is not in the manifest's environment");
            }
        }
        env.putAll(overrides);
        return env;
    }

    /**
     * {@code podman run} arguments (after "run"): detached, host network, the manifest's security
     * context and volumes, {@code binds} (container path to host directory) mounted over them.
     */
    List<String> runArguments(String name, Map<String, String> env, Map<String, Path> binds) {
        List<String> args = new ArrayList<>(List.of("-d", "--name", name, "--network", "host"));
        args.addAll(Podman.ULIMITS);
        args.addAll(List.of("--user", runAsUser() + ":" + runAsGroup()));
        PodSecurityContext pod = pod().getSecurityContext();
        if (pod.getFsGroup() != null) {
            args.addAll(List.of("--group-add", Long.toString(pod.getFsGroup())));
        }
        SecurityContext sc = container.getSecurityContext();
        if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
            // Only the manifest's volumes are writable: no tmpfs of podman's own on /tmp, /run, /var/tmp.
            args.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
        }
        if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            args.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        if (sc.getCapabilities() != null) {
            for (String cap : sc.getCapabilities().getDrop()) {
                args.addAll(List.of("--cap-drop", cap));
            }
        }
        // seccompProfile RuntimeDefault is podman's default profile: nothing to add.
        Map<String, Quantity> limits = container.getResources().getLimits();
        if (limits != null && limits.containsKey("memory")) {
            args.addAll(List.of("--memory", bytes(limits.get("memory")) + "b"));
        }
        for (VolumeMount m : container.getVolumeMounts()) {
            Volume v = pod().getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
            if (v.getEmptyDir() == null) {
                throw new IllegalStateException("volume " + v.getName() + " is not an emptyDir: teach the test to mount it");
            }
            String size = v.getEmptyDir().getSizeLimit() == null ? "" : ",size=" + bytes(v.getEmptyDir().getSizeLimit());
            args.addAll(List.of("--tmpfs", m.getMountPath() + ":rw,nosuid,nodev,mode=1777" + size));
        }
        binds.forEach((path, host) -> args.addAll(List.of("-v", host.toAbsolutePath() + ":" + path + ":rw")));
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.add(image());
        return args;
    }

    private PodSpec pod() {
        return deployment.getSpec().getTemplate().getSpec();
    }

    private static long bytes(Quantity q) {
        BigDecimal b = Quantity.getAmountInBytes(q);
        return b.longValueExact();
    }
}
