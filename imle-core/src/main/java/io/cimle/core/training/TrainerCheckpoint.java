package io.cimle.core.training;

import io.cimle.core.data.RarityStatistics;
import io.cimle.core.model.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a checkpoint holds of a trainer besides the weights, under fixed entry names: its state (where
 * the run is, its random stream), Adam's moments, the IMLE config and the rarity statistics. A
 * checkpoint without these was not written by {@link ImleTrainer} and cannot be resumed.
 */
final class TrainerCheckpoint {
    static final String STATE = "training/state.json";
    static final String MOMENTS = "training/adam-moments.ndlist";
    static final String CONFIG = "training/imle-config.json";
    static final String RARITY = "training/rarity.json";
    /** The epoch's kept codes as tables, where some are not what their seeds compose (bank candidates). */
    static final String KEPT_CODES = "training/kept-codes";

    /** A trainer's saved parts, read back. {@code rarity} is null when none was saved or a refit was asked for. */
    record Saved(TrainingState state, byte[] moments, ImleConfig config, RarityStatistics rarity) {
    }

    private TrainerCheckpoint() {
    }

    static Map<String, byte[]> extras(TrainingState state, byte[] moments, ImleConfig config, RarityStatistics rarity) {
        Map<String, byte[]> extras = new LinkedHashMap<>();
        extras.put(STATE, state.toJsonBytes());
        extras.put(MOMENTS, moments);
        extras.put(CONFIG, config.toJson().getBytes(StandardCharsets.UTF_8));
        if (rarity != null) {
            extras.put(RARITY, rarity.toJson().getBytes(StandardCharsets.UTF_8));
        }
        return extras;
    }

    /**
     * @param configOrNull the config to continue with, or null for the checkpoint's own
     * @param refitRarity  leave the saved statistics out (the data set grew since: they are fitted again)
     */
    static Saved read(Checkpoint checkpoint, ImleConfig configOrNull, boolean refitRarity) {
        byte[] stateJson = checkpoint.extras().get(STATE);
        byte[] moments = checkpoint.extras().get(MOMENTS);
        if (stateJson == null || moments == null) {
            throw new IllegalArgumentException("checkpoint (epoch " + checkpoint.epoch() + ", step "
                    + checkpoint.step() + ") has no training state: it was not written by ImleTrainer");
        }
        ImleConfig config = configOrNull != null ? configOrNull : configOf(checkpoint);
        byte[] rarityJson = refitRarity ? null : checkpoint.extras().get(RARITY);
        RarityStatistics rarity = rarityJson == null ? null
                : RarityStatistics.fromJson(new String(rarityJson, StandardCharsets.UTF_8));
        return new Saved(TrainingState.fromJsonBytes(stateJson), moments, config, rarity);
    }

    static ImleConfig configOf(Checkpoint checkpoint) {
        byte[] json = checkpoint.extras().get(CONFIG);
        if (json == null) {
            throw new IllegalArgumentException("checkpoint has no IMLE config: it was not written by ImleTrainer");
        }
        return ImleConfig.fromJson(new String(json, StandardCharsets.UTF_8));
    }
}
