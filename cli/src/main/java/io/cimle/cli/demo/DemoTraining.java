package io.cimle.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains through trainer-service's REST API within the demo's budget (what earlier runs trained counts),
 * drawing a progress bar and recording loss and code spread for the training picture.
 */
final class DemoTraining {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LocalStack stack;
    private final LocalStack.Service trainer;
    private final Path historyFile;

    DemoTraining(LocalStack stack, LocalStack.Service trainer, Path historyFile) {
        this.stack = stack;
        this.trainer = trainer;
        this.historyFile = historyFile;
    }

    /** Trains what is left of {@code minutes}, then pauses with a checkpoint. */
    void withinBudget(DemoState state, double minutes, String preset) throws Exception {
        double trainedSeconds = state.trainedSeconds();
        double secondsLeft = minutes * 60 - trainedSeconds;
        if (secondsLeft <= 1) {
            DemoCommand.step(String.format(Locale.ROOT, "already trained %.0f s of the %.0f s budget: not trained again "
                    + "(raise --minutes to train more, --fresh to start over)", trainedSeconds, minutes * 60));
            return;
        }
        state.addTrainedSeconds(train(secondsLeft, preset));
    }

    TrainingHistory history() throws IOException {
        return new TrainingHistory(historyFile);
    }

    /** Trains for {@code seconds}, drawing a progress bar; returns seconds trained. */
    private double train(double seconds, String preset) throws Exception {
        DemoCommand.step(String.format(Locale.ROOT, "training %s for %.1f minutes (progress from %s)", preset,
                seconds / 60, trainer.url() + "api/trainer/status"));
        stack.post(trainer, "/api/trainer/start");
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        ProgressLine bar = new ProgressLine(System.console() != null);
        TrainingHistory history = history();
        long lastPoint = 0;
        while (System.nanoTime() < deadline) {
            JsonNode s = JSON.readTree(stack.get(trainer, "/api/trainer/status"));
            if (System.nanoTime() - lastPoint > 5e9 && s.path("loss").isNumber()) {
                lastPoint = System.nanoTime();
                history.add(s.path("globalStep").asLong(), s.path("loss").asDouble(),
                        s.path("codeSpread").isNumber() ? s.path("codeSpread").asDouble() : Double.NaN, Double.NaN);
            }
            if ("FAILED".equals(s.path("phase").asText())) {
                throw new IllegalStateException("training failed: " + s.path("failure").asText() + " (see " + trainer.log() + ")");
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            bar.show(elapsed / seconds, String.format(Locale.ROOT, "%-16s epoch %d step %d loss %s pairs %d  %s left",
                    s.path("phase").asText(), s.path("epoch").asInt(), s.path("globalStep").asLong(),
                    s.path("loss").isNumber() ? String.format(Locale.ROOT, "%.3f", s.path("loss").asDouble()) : "-",
                    s.path("datasetSize").asLong(), clock(seconds - elapsed)));
            Thread.sleep(1000);
        }
        bar.done();
        history.save();
        DemoCommand.step("pausing training and writing a checkpoint of it");
        JsonNode after = JSON.readTree(stack.post(trainer, "/api/trainer/pause?checkpoint=true"));
        DemoCommand.step("trained to epoch " + after.path("epoch").asInt() + ", step " + after.path("globalStep").asLong()
                + ", checkpoint " + after.path("version").asText());
        return (System.nanoTime() - start) / 1e9;
    }

    private static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
