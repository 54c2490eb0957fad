package io.cimle.core.training;

import io.cimle.core.data.ClassMap;
import io.cimle.core.model.CodeBank;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each example's latest matched code (as the table of vectors the network sees) with the epoch that matched it:
 * what a {@link CodeBank} is made of. Only recent matches count, because the generator draws a code's look only
 * while it still trains on it.
 */
final class MatchedCodes {
    private record Entry(int epoch, CodeBank.Matched table) {
    }

    /** By example index; a resumed bank's codes sit under negative keys, aging like the others. */
    private final Map<Integer, Entry> latest = new TreeMap<>();

    /** @param sceneColours each example's scene colour, for a bank whose instances pick by it; null: none kept */
    void record(ModelConfig config, int epoch, int[] examples, List<ClassMap> layouts, List<LatentCode> codes,
                List<float[]> sceneColours) {
        for (int t = 0; t < examples.length; t++) {
            CodeBank.Matched table = CodeBank.tableOf(config, layouts.get(t), codes.get(t));
            latest.put(examples[t], new Entry(epoch, sceneColours == null ? table
                    : table.withSceneColour(sceneColours.get(t))));
        }
    }

    /** A checkpoint's bank as matches of {@code epoch}, so a resumed run serves it until its own replace it. */
    void restore(CodeBank bank, int epoch) {
        List<CodeBank.Matched> tables = bank.matched();
        for (int i = 0; i < tables.size(); i++) {
            latest.putIfAbsent(Integer.MIN_VALUE + i, new Entry(epoch, tables.get(i))); // in the bank's order
        }
    }

    /** The table of {@code example}'s latest match, or null when it was never matched. */
    CodeBank.Matched latest(int example) {
        Entry e = latest.get(example);
        return e == null ? null : e.table();
    }

    /**
     * The bank of the matches of epochs {@code epoch - maxAge + 1 .. epoch}, or null when there are none; its instances
     * pick by scene colour at {@code sceneBandwidths} (null: uniformly, see {@link CodeBank}).
     */
    CodeBank bank(ModelConfig config, int epoch, int maxAge, double jitter, double[][] sceneBandwidths) {
        List<CodeBank.Matched> recent = new ArrayList<>();
        latest.values().forEach(e -> {
            if (e.epoch() > epoch - maxAge) {
                recent.add(e.table());
            }
        });
        return recent.isEmpty() ? null : new CodeBank(config, recent, jitter, sceneBandwidths);
    }
}
