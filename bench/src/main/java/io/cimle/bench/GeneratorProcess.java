package io.cimle.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The packaged generator service as a child process of the bench, on its own topics, with the shipped settings. */
final class GeneratorProcess {
    private static final Map<Process, Integer> PORTS = new ConcurrentHashMap<>();

    private GeneratorProcess() {
    }

    static Process start(Path jar, String bootstrap, Path store, String requestTopic, String replyTopic, Path log)
            throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkafka.bootstrap.servers=" + bootstrap, "-Dcimle.storage.root=" + store,
                "-Dcimle.model.name=" + KafkaBench.MODEL, "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dcimle.generator.requests.topic=" + requestTopic,
                "-Dmp.messaging.outgoing.samples.topic=" + replyTopic,
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + Workloads.threads()));
        if (System.getProperty("DJL_CACHE_DIR") != null) {
            cmd.add("-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR"));
        }
        // Extra JVM flags for the service only (a profiler, a heap size), space-separated.
        String extra = System.getenv("CIMLE_BENCH_GENERATOR_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ONEDNN_MAX_CPU_ISA", "AVX2");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        // The service's libtorch uses as many threads as the in-process comparison (OpenMP reads this).
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(Workloads.threads()));
        Process p = pb.start();
        PORTS.put(p, port);
        return p;
    }

    /** Waits for /q/health/ready; returns the milliseconds it took. */
    static double awaitReady(Process service, Duration timeout) throws InterruptedException {
        int port = PORTS.get(service);
        long start = System.nanoTime();
        while (Stats.msSince(start) < timeout.toMillis()) {
            if (!service.isAlive()) {
                throw new IllegalStateException("generator service exited with " + service.exitValue()
                        + " before it was ready; see its log");
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/ready")
                        .toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return Stats.msSince(start);
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("generator service not ready within " + timeout);
    }

    static void stop(Process service) {
        PORTS.remove(service);
        service.destroy();
        try {
            if (!service.waitFor(20, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        } catch (InterruptedException e) {
            service.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
