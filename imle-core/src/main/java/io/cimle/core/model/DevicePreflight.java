package io.cimle.core.model;

import ai.djl.util.ClassLoaderUtils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this machine and this build offer, found <b>before</b> libtorch is loaded, and whether a
 * configured device can run on it.
 *
 * <p>Why before: DJL picks the native libtorch from the classpath by the GPUs it sees. With the CUDA
 * libtorch (the {@code -Pcuda} build) on a machine where no GPU is visible, it ignores that library and
 * tries to download a CPU one; offline that ends in {@code EngineException: Failed to save pytorch index
 * file}, which says nothing about a GPU. So the GPU count comes from DJL's {@link CudaUtils} (the CUDA
 * runtime through JNA, no libtorch), the bundled flavours from the native jars' {@code
 * native/lib/pytorch.properties}, and {@link #refusal} decides from those alone.
 *
 * @param visibleGpus CUDA devices the CUDA runtime reports (0 when there is no runtime or no driver)
 * @param cudaRuntime the CUDA runtime's version ("12.4"), empty when no libcudart could be loaded
 * @param bundledFlavors the libtorch flavours on the classpath ("cpu", "cu124"), empty when none is
 */
public record DevicePreflight(int visibleGpus, Optional<String> cudaRuntime, Set<String> bundledFlavors) {

    public DevicePreflight {
        bundledFlavors = Set.copyOf(bundledFlavors);
    }

    /** Looks at this machine and classpath without loading libtorch. */
    public static DevicePreflight detect() {
        int gpus = CudaUtils.getGpuCount();
        Optional<String> runtime;
        try {
            int v = CudaUtils.getCudaVersion(); // 12040 for 12.4; throws when no libcudart was loaded
            runtime = Optional.of(v / 1000 + "." + (v % 1000) / 10);
        } catch (RuntimeException e) {
            runtime = Optional.empty();
        }
        return new DevicePreflight(gpus, runtime, classpathFlavors());
    }

    /**
     * Why {@code configured} cannot run here, or empty when it can. Every refusal is one sentence that
     * names what was found and what to change; nothing falls back to another device.
     */
    public Optional<String> refusal(ComputeDevice configured) {
        boolean cudaBuild = bundledFlavors.stream().anyMatch(f -> f.startsWith("cu"));
        boolean cpuBuild = bundledFlavors.stream().anyMatch(f -> f.startsWith("cpu"));
        return switch (configured) {
            case GPU -> {
                if (visibleGpus < 1) {
                    yield Optional.of("device gpu configured but no CUDA GPU is visible: " + found()
                            + "; run where a GPU is allocated (Kubernetes: limits nvidia.com/gpu on a GPU node; "
                            + "podman: --device nvidia.com/gpu=all; docker: --gpus all) or set CIMLE_MODEL_DEVICE=cpu "
                            + "with the CPU image");
                }
                if (!cudaBuild) {
                    yield Optional.of("device gpu configured but this build carries no CUDA libtorch: " + found()
                            + "; use the -cuda image (a build with ./mvnw -Pcuda) or set CIMLE_MODEL_DEVICE=cpu");
                }
                yield Optional.empty();
            }
            case CPU -> {
                if (cudaBuild && !cpuBuild && visibleGpus < 1) {
                    yield Optional.of("device cpu configured but this build carries only the CUDA libtorch, which DJL "
                            + "skips when no GPU is visible (it would try to download a CPU one): " + found()
                            + "; use the CPU image (a build without -Pcuda)");
                }
                yield Optional.empty();
            }
        };
    }

    /** What was found, for logs: "CUDA runtime 12.4, 0 GPUs visible, libtorch cu124". */
    public String found() {
        return (cudaRuntime.map(v -> "CUDA runtime " + v).orElse("no CUDA runtime (libcudart) loadable"))
                + ", " + visibleGpus + (visibleGpus == 1 ? " GPU" : " GPUs") + " visible, libtorch "
                + (bundledFlavors.isEmpty() ? "none on the classpath" : String.join("+", new TreeSet<>(bundledFlavors)));
    }

    /** The {@code flavor} of every {@code native/lib/pytorch.properties} on the classpath (DJL's native jars). */
    static Set<String> classpathFlavors() {
        Set<String> flavors = new TreeSet<>();
        try {
            Enumeration<URL> urls = ClassLoaderUtils.getResources("native/lib/pytorch.properties");
            while (urls.hasMoreElements()) {
                Properties p = new Properties();
                try (InputStream in = urls.nextElement().openStream()) {
                    p.load(in);
                }
                String flavor = p.getProperty("flavor");
                if (flavor != null && !p.containsKey("placeholder")) {
                    flavors.add(flavor);
                }
            }
        } catch (IOException e) {
            // unreadable: reported as "none on the classpath"
        }
        return flavors;
    }
}
