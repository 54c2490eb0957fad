package io.cimle.cli;

import io.cimle.cli.demo.DemoCommand;
import io.cimle.cli.ingest.IngestCommand;
import io.cimle.core.data.DatasetException;
import io.cimle.core.data.ImageException;
import io.cimle.core.data.LayoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code ./cimle} command line. Each sub-command delegates to a method that returns a result. */
@Command(name = "cimle", mixinStandardHelpOptions = true, version = "cimle 0.1.0",
        description = "Diverse image synthesis from semantic layouts with Conditional IMLE.",
        subcommands = {CommandLine.HelpCommand.class, ToyScenesCommand.class, RenderScenesCommand.class, TrainCommand.class,
                GenerateCommand.class, InterpolateCommand.class, EvalCommand.class, DemoCommand.class,
                IngestCommand.class, RequestCommand.class, TrainSegmenterCommand.class})
public final class CimleCli implements Runnable {
    /** Exit code of a failure the user can fix (bad value, missing or bad file), as picocli's parameter errors. */
    public static final int USAGE_ERROR = 2;
    /** Exit code of any other failure. */
    public static final int FAILURE = 1;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Read before any sub-command runs, so it takes effect before libtorch loads. */
    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Also print the engine's start-up lines (platform, threads) and other INFO logs.")
    void verbose(boolean on) {
        if (on) {
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "info");
        }
    }

    /** Runs the command line and returns its exit code (2 for bad arguments and bad input files). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new CimleCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // One clear line instead of a stack trace; the cause chain adds what the message lacks.
            commandLine.getErr().println("error: " + describe(e));
            return userCaused(e) ? USAGE_ERROR : FAILURE;
        });
        return cli.execute(args);
    }

    static boolean userCaused(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof UncheckedIOException
                || e instanceof IOException || e instanceof DatasetException || e instanceof LayoutException
                || e instanceof ImageException;
    }

    static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage() + ")";
        }
        return message;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
