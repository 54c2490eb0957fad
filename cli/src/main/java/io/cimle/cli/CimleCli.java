package io.cimle.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./cimle} command line. Each sub-command delegates to a method that returns a result. */
@Command(name = "cimle", mixinStandardHelpOptions = true, version = "cimle 0.1.0",
        description = "Diverse image synthesis from semantic layouts with Conditional IMLE.",
        subcommands = {CommandLine.HelpCommand.class, io.cimle.cli.demo.DemoCommand.class})
public final class CimleCli implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (2 for bad arguments). */
    public static int run(String... args) {
        return new CommandLine(new CimleCli()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
