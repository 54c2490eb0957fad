package io.cimle.cli;

import io.cimle.cli.client.ClientExample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "request", mixinStandardHelpOptions = true,
        description = "Asks a running generator (over Kafka) for samples of a class-id layout PNG and writes them.")
final class RequestCommand implements Callable<Integer> {
    @Option(names = "--layout", required = true, description = "Layout PNG of class ids (train ids, 255 = void).")
    Path layout;
    @Option(names = "-n", defaultValue = "9", description = "Number of samples (default ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--seed", description = "Seed (default: the generator picks one and reports it).")
    Long seed;
    @Option(names = "--bootstrap", defaultValue = "localhost:9092", description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
    String bootstrap;
    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;
    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the samples (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        ClientExample.Written w = run();
        System.out.printf("wrote %d samples of %s (model %s, seed %d) to %s%n", w.images().size(), w.requestId(),
                w.modelVersion(), w.seed(), out);
        return 0;
    }

    ClientExample.Written run() throws Exception {
        try {
            return ClientExample.run(bootstrap, layout, n, seed, out, Duration.ofSeconds(timeoutSeconds));
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage() + "; is a generator running at " + bootstrap + "?", e);
        }
    }
}
