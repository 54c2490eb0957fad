package io.cimle.trainer;

import io.cimle.core.training.ImleConfig;
import io.cimle.service.model.ModelSettings;
import io.cimle.service.storage.StorageSettings;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Control and status of training. Start/pause/resume act on this replica (only the leader trains). */
@Path("/api/trainer")
@Produces(MediaType.APPLICATION_JSON)
public class TrainerResource {
    @Inject
    TrainingControls controls;
    @Inject
    TrainingState state;
    @Inject
    StatusReporter statuses;
    @Inject
    TrainerSettings settings;
    @Inject
    ModelSettings model;
    @Inject
    StorageSettings storage;
    @Inject
    TrainingSetup setup;
    @Inject
    ImleSettings imleSettings;

    @GET
    @Path("/status")
    @Operation(summary = "Phase, epoch, step, loss, data set size, latest checkpoint version, leadership")
    public TrainingStatus status() {
        return statuses.status();
    }

    @POST
    @Path("/start")
    @Operation(summary = "Start training once the data set is large enough (when auto-start is off)")
    public TrainingStatus start() {
        controls.start();
        return statuses.status();
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Pause after the current gradient step; with checkpoint=true, write a checkpoint of it first")
    public TrainingStatus pause(@QueryParam("checkpoint") boolean checkpoint) throws InterruptedException {
        if (checkpoint) {
            controls.pauseWithCheckpoint(state, Duration.ofMinutes(2));
        } else {
            controls.pause();
        }
        return statuses.status();
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Resume a paused run")
    public TrainingStatus resume() {
        controls.resume();
        return statuses.status();
    }

    @GET
    @Path("/config")
    @Operation(summary = "The effective configuration: model, preset, IMLE hyperparameters, storage, election")
    public Map<String, Object> config() {
        TrainerSettings.Imle imle = settings.trainer().imle();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model.name());
        out.put("device", model.device().optionName());
        out.put("labels", setup.labels().name());
        out.put("modelConfig", setup.modelConfig());
        // Every training setting, by its name (|S| before the data set caps it).
        Map<String, Object> imleOut = new LinkedHashMap<>();
        ImleConfig c = imleSettings.configured();
        ImleConfig.SETTINGS.forEach(s -> imleOut.put(s.name(), c.get(s) instanceof Enum<?> ? s.format(c.get(s)) : c.get(s)));
        imleOut.put("distance", imle.vggWeights().isPresent() ? "vgg19" : "pyramid-l1");
        out.put("imle", imleOut);
        out.put("minDatasetSize", settings.trainer().minDatasetSize());
        out.put("checkpointEverySteps", settings.trainer().checkpointEverySteps());
        out.put("checkpointKeepLast", settings.trainer().checkpointKeepLast());
        out.put("storage", storage.kind());
        out.put("leaderElection", settings.trainer().leaderElection().enabled());
        return out;
    }
}
