package io.cimle.trainer;

import io.cimle.core.data.UnknownLabelPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the trainer-service reads from configuration, each key documented here with its default: the
 * {@code @WithDefault} is the one source of it (README.md's table repeats it and application.properties
 * does not, checked by TrainerSettingsDefaultsTest). Object storage ({@code cimle.storage.*}) is
 * {@link io.cimle.service.storage.StorageSettings}'s, the model ({@code cimle.model.*})
 * {@link io.cimle.service.model.ModelSettings}'s.
 */
@ConfigMapping(prefix = "cimle")
public interface TrainerSettings {

    Trainer trainer();

    interface Trainer {
        /** Model preset: tiny (16x32), small (32x64), medium (64x128) or paper (256x512). */
        @WithDefault("tiny")
        String preset();

        /** Training starts once the data set holds this many pairs. */
        @WithDefault("16")
        int minDatasetSize();

        /** Start training by itself once the data set is large enough (else wait for POST /start). */
        @WithDefault("true")
        boolean autoStart();

        /** A checkpoint is written every this many gradient steps, after the last step, and when asked (pause). */
        @WithDefault("500")
        int checkpointEverySteps();

        /** Retention: how many newest checkpoints to keep (pinned ones are kept too). */
        @WithDefault("5")
        int checkpointKeepLast();

        /** Largest encoded layout or photo accepted from layouts.training, in bytes. */
        @WithDefault("8388608")
        int maxImageBytes();

        /**
         * Unknown class ids or colours in a training layout: void (map them to the void class: real label
         * maps carry stray ids) or reject (dead-letter the pair). A typo fails at start-up.
         */
        @WithDefault("void")
        UnknownLabelPolicy unknownLabels();

        Imle imle();

        LeaderElection leaderElection();
    }

    /**
     * The service's own keys under cimle.trainer.imle. The training settings themselves (|S|, m, K, selection,
     * ...) are read from the core's table by {@link ImleSettings}: declared once, in ImleConfig.
     */
    interface Imle {
        /**
         * Below this code spread (mean pixel difference between samples of one probe layout, in [0, 1]) an
         * IMLE model counts as collapsed at an epoch's end: a warning, cimle_trainer_model_healthy 0 and the
         * CimleTrainerModelUnhealthy alert. Default: ModelHealth.DEFAULT_MIN_CODE_SPREAD (0.01).
         */
        Optional<Double> minCodeSpread();

        /**
         * Whether the per-epoch health verdict counts (the code spread above, the weights moving, the loss not
         * climbing on; see ModelHealth): false keeps cimle_trainer_model_healthy at 1 and logs no warning, the code
         * spread is still measured and exported. The service never stops training on it either way. Default true.
         */
        @WithDefault("true")
        boolean healthCheck();

        /** Optional VGG-19 weights (.npz) for the perceptual distance; unset = pyramid L1. */
        Optional<String> vggWeights();

        /** default (the best measured method) or reference (the paper's configuration): see ImleSettings. */
        @WithDefault("default")
        String base();

        /**
         * Every key under cimle.trainer.imle by its name: the training settings of ImleConfig's table, which
         * {@link ImleSettings} reads and checks (declared so the mapping knows them).
         */
        @WithParentName
        Map<String, String> settings();
    }

    interface LeaderElection {
        /** On in a cluster (several replicas, one trains); off outside one. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("cimle-trainer")
        String leaseName();

        /** Namespace of the lease; defaults to the pod's (POD_NAMESPACE) or the client's. */
        Optional<String> namespace();

        /** This candidate's identity; defaults to POD_NAME or the host name. */
        Optional<String> identity();

        @WithDefault("15")
        int leaseDurationSeconds();

        @WithDefault("10")
        int renewDeadlineSeconds();

        @WithDefault("2")
        int retryPeriodSeconds();
    }
}
