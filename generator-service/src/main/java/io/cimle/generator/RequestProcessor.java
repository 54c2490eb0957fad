package io.cimle.generator;

import io.cimle.service.Rejection;
import io.cimle.wire.v1.ErrorCode;
import io.cimle.wire.v1.LayoutRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Admits one request, from Kafka or REST alike: finds its model and plans its codes. What cannot run is
 * refused with its coded error; what can is {@link Admission.Ready}, holding a {@link ModelLease} on its model,
 * for the {@link MicroBatcher}.
 */
@ApplicationScoped
public class RequestProcessor {
    private static final Logger LOG = Logger.getLogger(RequestProcessor.class);

    @Inject
    ModelRegistry models;
    @Inject
    RequestPlanner planner;

    public Admission admit(LayoutRequest request, long receivedAtMs) {
        Optional<LoadedModel> model;
        try {
            model = models.acquire(request.getModelName(), request.getModelVersion());
        } catch (ModelRegistry.UnknownVersionException e) {
            return refused(ErrorCode.UNKNOWN_MODEL_VERSION, e.getMessage());
        } catch (Exception e) {
            return refused(ErrorCode.INTERNAL, "loading the model failed: " + e.getMessage());
        }
        if (model.isEmpty()) {
            return refused(ErrorCode.NO_MODEL_LOADED, "no model is loaded yet: wait for the trainer's first checkpoint");
        }
        ModelLease lease = new ModelLease(model.get());
        Admission admission = plan(request, lease, receivedAtMs);
        if (admission instanceof Admission.Refused) {
            lease.close(); // never handed out: nothing runs on it
        }
        return admission;
    }

    private Admission plan(LayoutRequest request, ModelLease lease, long receivedAtMs) {
        try {
            return new Admission.Ready(planner.plan(request, lease.model(), receivedAtMs), lease);
        } catch (Rejection e) {
            return refused(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "planning request %s failed", request.getRequestId());
            return refused(ErrorCode.INTERNAL, "internal error: " + e);
        }
    }

    private static Admission refused(ErrorCode code, String message) {
        return new Admission.Refused(Outcome.failed(code, message));
    }
}
