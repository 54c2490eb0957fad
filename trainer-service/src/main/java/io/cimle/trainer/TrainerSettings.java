package io.cimle.trainer;

import io.cimle.core.data.UnknownLabelPolicy;
import io.cimle.core.model.NoiseMode;
import io.cimle.core.training.CodeSelection;
import io.cimle.core.training.ImleConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Everything the trainer-service reads from configuration (application.properties documents each key), except
 * object storage ({@code cimle.storage.*}): see {@link io.cimle.service.storage.StorageSettings}.
 */
@ConfigMapping(prefix = "cimle")
public interface TrainerSettings {

    Trainer trainer();

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
        NoiseMode noise();

        /**
         * Vector codes: dimensions of the code's block per layout class (0 = none). Unset: none, or
         * CodeSelection.DEFAULT_REGION_CODE_DIM (8) when selection is regional. A resumed checkpoint keeps its own.
         */
        Optional<Integer> regionCodeDim();

        /**
         * Code parts per instance of the classes whose instances the training photos show in appearances of
         * their own (found in the data at the start of a new model: InstanceClasses); 1 = one part per class.
         * A resumed checkpoint keeps its own.
         */
        Optional<Integer> instanceSlots();

        /**
         * The code reaches every scale pooled over each region (area-resized instead of point-sampled). A
         * resumed checkpoint keeps its own.
         */
        Optional<Boolean> regionPooling();

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
     * Conditional IMLE hyperparameters. Every one left unset takes {@link ImleConfig#DEFAULT}'s value (the
     * reference code's, documented there and in README): the defaults are stated once, in the core.
     */
    interface Imle {
        /**
         * Below this code spread (mean pixel difference between samples of one probe layout, in [0, 1]) an
         * IMLE model counts as collapsed at an epoch's end: a warning, cimle_trainer_model_healthy 0 and the
         * CimleTrainerModelUnhealthy alert. Default: ModelHealth.DEFAULT_MIN_CODE_SPREAD (0.01).
         */
        Optional<Double> minCodeSpread();

        /** |S|: examples per epoch (capped by the data set size). */
        Optional<Integer> examples();

        /** m: latent codes drawn per example for nearest-sample selection. */
        Optional<Integer> samples();

        /** K: gradient steps per epoch. */
        Optional<Integer> steps();

        /** |S~|: examples per gradient step (capped by |S|). */
        Optional<Integer> subBatch();

        Optional<Double> learningRate();

        /** Epochs in all; 0 trains until stopped (POST /api/trainer/pause, or the pod goes away). */
        Optional<Integer> epochs();

        Optional<Boolean> lossRebalancing();

        Optional<Boolean> datasetRebalancing();

        Optional<Long> seed();

        /** The reference's schedule: after this epoch re-initialise the noise encoder, reset Adam, lr / 10. */
        Optional<Integer> decayEpoch();

        /** Whether that decay happens at all (off for short toy runs with many small epochs). */
        Optional<Boolean> decay();

        /** Whether the decay also re-initialises the noise encoder and resets Adam (the reference); false = lr / 10 only. */
        Optional<Boolean> decayResetsEncoder();

        /**
         * flat (Algorithm 1: the nearest whole image) or regional (the nearest, then each layout class's part of
         * the code chosen on its own, so independent per-region appearances are all matched).
         */
        Optional<CodeSelection> selection();

        /** RS-IMLE: candidates nearer than this distance are passed over (0 = off). */
        Optional<Double> rejectBelow();

        /**
         * Loss rebalancing: no pixel's weight below this share of its image's rarest region's, in [0, 1)
         * (0 = the paper's weights).
         */
        Optional<Double> rarityFloor();

        /** Candidates per no-grad forward pass during nearest-sample selection (memory vs speed). */
        Optional<Integer> selectionBatch();

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
