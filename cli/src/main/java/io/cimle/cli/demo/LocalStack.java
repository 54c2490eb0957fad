package io.cimle.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service processes the demo, the bench and the end-to-end tests start, each with its log in a file.
 * Stops them all, newest first, on {@link #close()} and on Ctrl-C (a shutdown hook), so no orphan is left
 * behind.
 */
public final class LocalStack implements AutoCloseable {
    /** One started process. */
    public record Service(String name, Process process, Path log, int port) {
        public String url() {
            return "http://localhost:" + port + "/";
        }
    }

    private final Path logs;
    private final List<Service> started = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "cimle-demo-shutdown");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    public LocalStack(Path logs) throws IOException {
        this.logs = Files.createDirectories(logs);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code java <jvmArgs> -cp/-jar ...} with libtorch's CPU guard and offline DJL. */
    public synchronized Service startJava(String name, List<String> args, Map<String, String> env, int port)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dai.djl.offline=true");
        command.add("-Dai.djl.util.cuda.level=error");
        String djlCache = System.getProperty("DJL_CACHE_DIR");
        if (djlCache != null) {
            command.add("-DDJL_CACHE_DIR=" + djlCache);
        }
        command.addAll(args);
        Path log = logs.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("ONEDNN_MAX_CPU_ISA", System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "AVX2"));
        pb.environment().put("OMP_WAIT_POLICY", System.getenv().getOrDefault("OMP_WAIT_POLICY", "PASSIVE"));
        pb.environment().putAll(env);
        Files.writeString(log, "\n=== " + name + " started " + Instant.now() + ": " + String.join(" ", command)
                + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Service s = new Service(name, pb.start(), log, port);
        started.add(s);
        return s;
    }

    /** Waits until GET url answers 200, or fails with the tail of the service's log. */
    public void awaitHttp(Service s, String path, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!s.process().isAlive()) {
                throw new IOException(s.name() + " exited with code " + s.process().exitValue() + "; its log ends:\n"
                        + tail(s.log(), 25));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(s.url() + path.replaceFirst("^/", "")))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException(s.name() + " did not answer " + path + " within " + timeout + "; its log ends:\n"
                + tail(s.log(), 25));
    }

    /** Waits until a line containing {@code text} appears in the service's log. */
    public void awaitLog(Service s, String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(s.log()) && Files.readString(s.log()).contains(text)) {
                return;
            }
            if (!s.process().isAlive()) {
                throw new IOException(s.name() + " exited; its log ends:\n" + tail(s.log(), 25));
            }
            Thread.sleep(300);
        }
        throw new IOException(s.name() + " did not log '" + text + "' within " + timeout);
    }

    public String get(Service s, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(s.url() + path.replaceFirst("^/", "")))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    public String post(Service s, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(s.url() + path.replaceFirst("^/", "")))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The last {@code lines} lines of a service's log, for what a failure says. */
    public static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private synchronized void stopAll() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i).process();
            if (p.isAlive()) {
                p.destroy(); // SIGTERM: Quarkus and the broker shut down cleanly
            }
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            stopProcess(started.get(i).process());
        }
        started.clear();
    }

    private static void stopProcess(Process p) {
        if (p.isAlive()) {
            p.destroy();
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }
}
