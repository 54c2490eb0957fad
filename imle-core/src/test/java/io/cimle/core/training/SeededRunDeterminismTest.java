package io.cimle.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A seeded run gives bit-identical weights in two fresh JVMs, one of them beside a second training
 * in another process (the CPU-heavy neighbour of the run that once learnt nothing). Both JVMs pin
 * libtorch to 2 intra-op threads: a parallel reduction splits its sums by thread count, so another
 * count gives other last bits from the first step on (and so another trajectory), on any machine.
 * Everything else (load, timing, allocation, garbage collection) must not matter.
 */
class SeededRunDeterminismTest {
    private static final int EPOCHS = 2;

    @Test
    void aSeededRunIsBitIdenticalAloneAndBesideANeighbour() throws Exception {
        String alone = hashInFreshJvm("ENCODER", String.valueOf(EPOCHS));
        Process neighbour = start(List.of("--forever"), ProcessBuilder.Redirect.DISCARD);
        String beside;
        try {
            Thread.sleep(3_000); // let it load libtorch and start training
            assertTrue(neighbour.isAlive(), () -> "the neighbour training died, exit code " + neighbour.exitValue());
            beside = hashInFreshJvm("ENCODER", String.valueOf(EPOCHS));
            assertTrue(neighbour.isAlive(), "the neighbour stopped before the second run ended");
        } finally {
            neighbour.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(alone, beside, "the same seed gave other weights beside a neighbour");
    }

    private static String hashInFreshJvm(String... args) throws Exception {
        Process p = start(List.of(args), ProcessBuilder.Redirect.PIPE);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("seeded run did not finish in 5 minutes");
        }
        String out = output(p);
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> l.startsWith("hash ")).findFirst()
                .orElseThrow(() -> new AssertionError("no hash in: " + out)).substring(5);
    }

    private static Process start(List<String> args, ProcessBuilder.Redirect output) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        String cache = System.getProperty("DJL_CACHE_DIR");
        if (cache != null) {
            cmd.add("-DDJL_CACHE_DIR=" + cache);
        }
        cmd.add(SeededRun.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output);
        pb.environment().putIfAbsent("ONEDNN_MAX_CPU_ISA", "AVX2");
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    private static String output(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
