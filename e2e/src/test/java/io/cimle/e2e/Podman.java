package io.cimle.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * podman as this machine kind runs it (stack notes): the runc runtime (crun refuses the hybrid cgroups),
 * rlimits lowered, never raised. {@link #probe} skips the calling test, saying why, where no container can
 * run at all; everything else that goes wrong fails with podman's own words.
 */
final class Podman {
    /** The base the images are built on here (deploy/scripts/build-base.sh); the probe runs it. */
    static final String BASE = System.getenv().getOrDefault("CIMLE_BASE_IMAGE_NAME", "localhost/cimle/base:bookworm-jre17");
    static final List<String> ULIMITS = List.of("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096");

    private final List<String> command;

    private Podman(List<String> command) {
        this.command = command;
    }

    /** What one podman command printed and returned. */
    record Result(int exit, String out) {
        Result orFail(String what) {
            if (exit != 0) {
                throw new IllegalStateException(what + " failed (exit " + exit + "): " + out);
            }
            return this;
        }
    }

    /**
     * A podman that can run containers here, or the test is skipped with the reason. A missing base image
     * is not a reason to skip: scripts/ensure-test-tools.sh builds it, so the test fails and says so.
     */
    static Podman probe() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("podman"));
        if (Files.isExecutable(Path.of("/usr/sbin/runc"))) {
            cmd.addAll(List.of("--runtime", "/usr/sbin/runc"));
        }
        Podman podman = new Podman(cmd);
        Result info;
        try {
            info = podman.run(60, "info", "--format", "{{.Host.OCIRuntime.Name}}");
        } catch (IOException e) {
            throw skip("podman is not installed (scripts/ensure-test-tools.sh installs it): " + e.getMessage());
        }
        if (info.exit() != 0) {
            throw skip("podman cannot work on this machine: " + info.out());
        }
        if (podman.run(60, "image", "exists", BASE).exit() != 0) {
            throw new IllegalStateException("the base image " + BASE + " is missing: scripts/ensure-test-tools.sh builds it "
                    + "(deploy/scripts/build-base.sh: mmdebstrap, then podman import)");
        }
        List<String> probe = new ArrayList<>(List.of("run", "--rm", "--network", "host"));
        probe.addAll(ULIMITS);
        probe.addAll(List.of(BASE, "true"));
        Result run = podman.run(120, probe.toArray(String[]::new));
        if (run.exit() != 0) {
            throw skip("podman cannot run a container on this machine: " + run.out());
        }
        return podman;
    }

    /** Skips the calling test, saying why on the console too (surefire's summary shows only a count). */
    private static TestAbortedException skip(String reason) {
        System.out.println("[images] SKIPPED: " + reason);
        return new TestAbortedException(reason);
    }

    Result run(long timeoutSeconds, String... args) throws IOException {
        return run(timeoutSeconds, List.of(args));
    }

    Result run(long timeoutSeconds, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(args);
        return exec(cmd, timeoutSeconds);
    }

    /** Runs {@code cmd} (any program), output and errors together. */
    static Result exec(List<String> cmd, long timeoutSeconds) throws IOException {
        Path out = Files.createTempFile("podman-", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", cmd) + " ran longer than " + timeoutSeconds + " s: "
                            + Files.readString(out, StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** One HTTP GET from inside the container, with bash's /dev/tcp (the images carry no curl): status line, headers, body. */
    Result httpGetInside(String container, int port, String path) throws IOException {
        String script = "exec 3<>/dev/tcp/127.0.0.1/" + port
                + " && printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' \"$1\" >&3 && cat <&3";
        return run(60, "exec", container, "bash", "-c", script, "get", path);
    }

    String logs(String container) {
        try {
            return run(60, "logs", container).out();
        } catch (IOException | RuntimeException e) {
            return "(no logs: " + e.getMessage() + ")";
        }
    }

    /** Removes a container (a leftover one would pin its image, which build-images.sh then cannot replace). */
    void removeQuietly(String container) {
        String last = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Result r = run(120, "rm", "-f", "-t", "5", "--ignore", container);
                if (r.exit() == 0) {
                    return;
                }
                last = r.out();
            } catch (IOException | RuntimeException e) {
                last = e.getMessage();
            }
            Rig.sleep(2000);
        }
        System.out.println("[images] WARNING: could not remove container " + container + ": " + last);
    }
}
