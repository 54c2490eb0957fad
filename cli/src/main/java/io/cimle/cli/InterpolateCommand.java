package io.cimle.cli;

import io.cimle.core.data.ClassMap;
import io.cimle.core.model.Checkpoint;
import io.cimle.core.model.InterpolationMethod;
import io.cimle.core.model.LatentCodes;
import io.cimle.core.model.Sampler;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "interpolate", mixinStandardHelpOptions = true,
        description = "Walks from one code to another on one layout (e.g. day to night); writes step_NNN.png.")
final class InterpolateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;
    @Option(names = "--layout", required = true, description = "Layout PNG of class ids (void = 255).")
    Path layout;
    @Option(names = "--from", required = true, description = "Start code: a code JSON file or a seed.")
    String from;
    @Option(names = "--to", required = true, description = "End code: a code JSON file or a seed.")
    String to;
    @Option(names = "--steps", defaultValue = "8", description = "Images along the way, ends included (default ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--method", defaultValue = "SLERP", description = "LINEAR|SLERP (default ${DEFAULT-VALUE}).")
    InterpolationMethod method;
    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        GenerateCommand.Result r = run();
        System.out.printf("wrote %d interpolation steps to %s%n", r.images().size(), out);
        return 0;
    }

    GenerateCommand.Result run() throws Exception {
        if (steps < 2) {
            throw new IllegalArgumentException("--steps must be >= 2, got " + steps);
        }
        Checkpoint cp = model.readCheckpoint();
        ClassMap map = CliSupport.readLayout(layout, CliSupport.labelSet(cp));
        try (Sampler sampler = model.sampler(cp, Sampler.DEFAULT_MAX_BATCH)) {
            int[] shape = LatentCodes.shapeFor(sampler.config());
            return GenerateCommand.write(out, "step", sampler.interpolate(map, CliSupport.readCode(from, shape),
                    CliSupport.readCode(to, shape), steps, method));
        }
    }
}
