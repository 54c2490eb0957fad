package io.cimle.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cimle.core.storage.CheckpointInfo;
import io.cimle.core.storage.CheckpointStore;
import io.cimle.core.storage.FileSystemObjectStore;
import io.cimle.core.training.ImleConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's two services as processes of a {@link LocalStack}: trainer-service with the demo's budget as
 * its own configuration keys, generator-service following the same store; and the waits between them.
 */
final class DemoServices {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the services listen and what the trainer trains. */
    record Plan(Path appDir, Path store, String bootstrap, String model, String labels, String preset, int pairs,
                int trainerPort, int generatorPort, ImleConfig budget) {
    }

    private final LocalStack stack;
    private final String model;
    private final Path store;
    private final LocalStack.Service trainer;
    private final LocalStack.Service generator;

    private DemoServices(LocalStack stack, String model, Path store, LocalStack.Service trainer,
                         LocalStack.Service generator) {
        this.stack = stack;
        this.model = model;
        this.store = store;
        this.trainer = trainer;
        this.generator = generator;
    }

    /** Starts both (the built jars must exist: bad paths are refused before anything starts) and waits until they live. */
    static DemoServices start(LocalStack stack, Plan plan) throws Exception {
        Path trainerJar = builtJar(plan.appDir(), "trainer-service");
        Path generatorJar = builtJar(plan.appDir(), "generator-service");
        String store = plan.store().toAbsolutePath().toString();
        LocalStack.Service trainer = stack.startJava("trainer-service", trainerArguments(plan, store, trainerJar),
                Map.of(), plan.trainerPort());
        LocalStack.Service generator = stack.startJava("generator-service", List.of(
                "-Dquarkus.http.port=" + plan.generatorPort(), "-Dkafka.bootstrap.servers=" + plan.bootstrap(),
                "-Dcimle.storage.root=" + store, "-Dcimle.model.name=" + plan.model(),
                "-Dcimle.model.labels=" + plan.labels(), "-jar", generatorJar.toAbsolutePath().toString()), Map.of(), plan.generatorPort());
        DemoCommand.step("starting trainer-service (log " + trainer.log() + ") and generator-service (log "
                + generator.log() + ")");
        stack.awaitHttp(trainer, "/q/health/live", Duration.ofMinutes(3));
        stack.awaitHttp(generator, "/q/health/live", Duration.ofMinutes(3));
        return new DemoServices(stack, plan.model(), plan.store(), trainer, generator);
    }

    /** Refuses a missing build before the broker starts. */
    static Path builtJar(Path appDir, String service) {
        Path jar = appDir.resolve(service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalArgumentException(jar + " is missing: build with ./mvnw install -DskipTests (./cimle does it)");
        }
        return jar;
    }

    /** trainer-service with the demo's budget, as configuration (the service's own keys). */
    private static List<String> trainerArguments(Plan plan, String store, Path jar) {
        List<String> args = new ArrayList<>(List.of(
                "-Dquarkus.http.port=" + plan.trainerPort(), "-Dkafka.bootstrap.servers=" + plan.bootstrap(),
                "-Dcimle.storage.root=" + store, "-Dcimle.model.name=" + plan.model(),
                "-Dcimle.model.labels=" + plan.labels(), "-Dcimle.trainer.preset=" + plan.preset(),
                "-Dcimle.trainer.min-dataset-size=" + Math.min(plan.pairs(), 32),
                "-Dcimle.trainer.auto-start=false",
                "-Dcimle.trainer.checkpoint-every-steps=" + plan.budget().steps() * 10));
        plan.budget().asProperties("cimle.trainer.imle.").forEach((key, value) -> args.add("-D" + key + "=" + value));
        args.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        return args;
    }

    LocalStack.Service trainer() {
        return trainer;
    }

    LocalStack.Service generator() {
        return generator;
    }

    /** The newest checkpoint: the trainer's last, or on a rerun (none written by this process) the store's. */
    String latestVersion() throws Exception {
        String v = JSON.readTree(stack.get(trainer, "/api/trainer/status")).path("version").asText();
        if (v.isEmpty()) {
            v = new CheckpointStore(new FileSystemObjectStore(store), 3, true).latest(model).map(CheckpointInfo::version)
                    .orElse("");
        }
        if (v.isEmpty()) {
            throw new IllegalStateException("no checkpoint was written: train longer (--minutes)");
        }
        return v;
    }

    void awaitGeneratorVersion(String version) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode m = JSON.readTree(stack.get(generator, "/api/model"));
            if (m.path("version").asText().compareTo(version) >= 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the generator did not load " + version + " in time (see " + generator.log() + ")");
    }
}
