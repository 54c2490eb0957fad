package io.cimle.trainer;

import io.cimle.core.data.LabelSet;
import io.cimle.core.data.LabelSets;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.Presets;
import io.cimle.core.storage.ObjectStore;
import io.cimle.service.model.ModelSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the trainer is set up with: the model's label set and configuration (preset, size, code form), and the
 * data set store and pair validator made for them.
 */
@ApplicationScoped
public class TrainingSetup {
    @Inject
    TrainerSettings settings;
    @Inject
    ModelSettings model;
    @Inject
    ObjectStore objectStore;
    @Inject
    ImleSettings imle;

    private LabelSet labels;
    private ModelConfig modelConfig;
    private DatasetStore store;
    private PairValidator validator;

    @PostConstruct
    void init() {
        labels = model.labelsFile().map(TrainingSetup::readLabels).orElseGet(() -> LabelSets.byName(model.labels()));
        modelConfig = imle.configured().codeForm(Presets.byName(settings.trainer().preset(), labels.channels()));
        store = new DatasetStore(objectStore, model.name(), labels);
        validator = new PairValidator(labels, modelConfig.width(), modelConfig.height(), settings.trainer().maxImageBytes(),
                settings.trainer().unknownLabels());
    }

    private static LabelSet readLabels(String path) {
        try {
            return LabelSets.register(LabelSet.fromJson(Files.readString(Path.of(path))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the label set file " + path, e);
        }
    }

    public LabelSet labels() {
        return labels;
    }

    public ModelConfig modelConfig() {
        return modelConfig;
    }

    public DatasetStore store() {
        return store;
    }

    public PairValidator validator() {
        return validator;
    }
}
