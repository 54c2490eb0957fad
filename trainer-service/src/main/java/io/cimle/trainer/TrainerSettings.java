package io.cimle.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Everything the trainer-service reads from configuration (application.properties documents each key), except
 * object storage ({@code cimle.storage.*}): see {@link io.cimle.service.storage.StorageSettings}.
 */
@ConfigMapping(prefix = "cimle")
public interface TrainerSettings {

    Model model();

    Trainer trainer();

    interface Model {
        /** Model name: the key on the checkpoints topic and the folder in object storage. */
        @WithDefault("toy")
        String name();

        /** cpu or gpu. */
        @WithDefault("cpu")
        String device();

        /** Label set of the data set: toy-scenes, cityscapes, or a user palette registered by file. */
        @WithDefault("toy-scenes")
        String labels();

        /** Optional path to a user palette JSON ({"name":..,"classes":[{"name":..,"color":[r,g,b]}]}). */
        Optional<String> labelsFile();
    }

    interface Trainer {
        /** Model preset: tiny (16x32), small (32x64), medium (64x128) or paper (256x512). */
        @WithDefault("tiny")
        String preset();

        /**
         * How the latent code reaches the modules: encoder (per-pixel noise through the noise encoder, the
         * reference code), vector (a low-dimensional code tiled over the image, then the encoder: the paper's
         * text, and the better mode coverage on toy scenes at small) or raw (no encoder, the paper's ablation).
         * A resumed checkpoint keeps its own.
         */
        @WithDefault("encoder")
        String noise();

        /** Training starts once the data set holds this many pairs. */
        @WithDefault("16")
        int minDatasetSize();

        /** Start training by itself once the data set is large enough (else wait for POST /start). */
        @WithDefault("true")
        boolean autoStart();

        /** A checkpoint is written every this many gradient steps (and at every epoch end). */
        @WithDefault("500")
        int checkpointEverySteps();

        /** Retention: how many newest checkpoints to keep (pinned ones are kept too). */
        @WithDefault("5")
        int checkpointKeepLast();

        /** Largest encoded layout or photo accepted from layouts.training, in bytes. */
        @WithDefault("8388608")
        int maxImageBytes();

        /** Unknown class ids or colours in a training layout: void or reject. */
        @WithDefault("void")
        String unknownLabels();

        Imle imle();

        LeaderElection leaderElection();
    }

    /** Conditional IMLE hyperparameters; defaults are the reference code's except where a CPU needs less. */
    interface Imle {
        /**
         * Below this code spread (mean pixel difference between samples of one probe layout, in [0, 1]) an
         * IMLE model counts as collapsed at an epoch's end: a warning, cimle_trainer_model_healthy 0 and the
         * CimleTrainerModelUnhealthy alert. Default: ModelHealth.DEFAULT_MIN_CODE_SPREAD (0.01).
         */
        Optional<Double> minCodeSpread();

        /** |S|: examples per epoch (capped by the data set size). */
        @WithDefault("400")
        int examples();

        /** m: latent codes drawn per example for nearest-sample selection. */
        @WithDefault("10")
        int samples();

        /** K: gradient steps per epoch. */
        @WithDefault("10000")
        int steps();

        /** |S~|: examples per gradient step. */
        @WithDefault("1")
        int subBatch();

        @WithDefault("1e-4")
        double learningRate();

        /** Epochs in all (0 = until stopped). */
        @WithDefault("16")
        int epochs();

        @WithDefault("true")
        boolean lossRebalancing();

        @WithDefault("true")
        boolean datasetRebalancing();

        @WithDefault("42")
        long seed();

        /** The reference's schedule: after this epoch re-initialise the noise encoder, reset Adam, lr / 10. */
        @WithDefault("5")
        int decayEpoch();

        /** Whether that decay happens at all (off for short toy runs with many small epochs). */
        @WithDefault("true")
        boolean decay();

        /** Whether the decay also re-initialises the noise encoder and resets Adam (the reference); false = lr / 10 only. */
        @WithDefault("true")
        boolean decayResetsEncoder();

        /** Candidates per no-grad forward pass during nearest-sample selection (memory vs speed). */
        @WithDefault("40")
        int selectionBatch();

        /** Optional VGG-19 weights (.npz) for the perceptual distance; unset = pyramid L1. */
        Optional<String> vggWeights();
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
