package io.cimle.core.training;

import io.cimle.core.data.ClassMap;
import io.cimle.core.model.CodeParts;
import io.cimle.core.model.LatentCode;
import io.cimle.core.model.ModelConfig;
import io.cimle.core.model.RegionalCodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IMLE's selection with each part of the code ({@link CodeParts}: a layout class, or an instance of an
 * instance class) chosen on its own ({@link CodeSelection#REGIONAL}).
 *
 * <p>Per example, with m candidates in all: the nearest of {@code m1 = ceil(m/2)} whole codes is the
 * base; {@code m2 = m - m1} donors each lend the base their class parts; for every class present the
 * part whose image is nearest the photo over that class's pixels is kept (the base's own included);
 * one more forward checks the composed code, kept only when its whole distance is below the base's.
 * (Read "class" as "code part" throughout: with instance parts each car is one.) With R classes showing, that reaches {@code m1 * (m2 + 1)^R} combinations for m + 1 forwards, where
 * a flat draw reaches m: independent appearances of sky, vegetation and cars are matched together.
 */
public final class RegionalSelection {

    private final NearestCodeSelector selector;
    private final ModelConfig config;
    private final double rejectBelow;
    private final boolean staged;
    private final boolean wholeDonate;

    public RegionalSelection(NearestCodeSelector selector, ModelConfig config, double rejectBelow) {
        this(selector, config, rejectBelow, false);
    }

    public RegionalSelection(NearestCodeSelector selector, ModelConfig config, double rejectBelow, boolean staged) {
        this(selector, config, rejectBelow, staged, false);
    }

    /**
     * @param staged      choose the instances' parts in a stage of their own, among donors lent onto the scene the
     *                    other parts already chose ({@link CodeSelection#STAGED})
     * @param wholeDonate the whole candidates lend their parts too, each part as measured on its own whole image
     *                    (no extra forward): m + 1 options per part instead of m - m1 + 1
     */
    public RegionalSelection(NearestCodeSelector selector, ModelConfig config, double rejectBelow, boolean staged,
                             boolean wholeDonate) {
        if (!RegionalCodes.supported(config)) {
            throw new IllegalArgumentException("regional selection needs a code with a part per class: a per-pixel "
                    + "code (noise encoder or raw), or a vector code with region blocks (regionCodeDim > 0)");
        }
        this.selector = selector;
        this.config = config;
        this.rejectBelow = rejectBelow;
        this.staged = staged && !config.partsAreClasses();
        this.wholeDonate = wholeDonate;
    }

    /** How many of the m candidates are whole codes; the rest are donors. */
    static int wholeCandidates(int m) {
        return (m + 1) / 2;
    }

    /**
     * @param seeds {@code n * m} seeds drawn up front: per example first its m1 whole codes, then its
     *              m2 donors (example-major)
     */
    public KeptCodes select(NearestCodeSelector.Targets targets, long[] seeds, int m, DistanceCheck check) {
        return select(targets, seeds, m, check, null);
    }

    /**
     * The same, where a caller has already measured the whole codes (a style search ranks every
     * candidate anyway): {@code measured[t * m + j]} is candidate j's distance split by class for
     * j &lt; {@link #wholeCandidates}(m); null measures them here.
     */
    public KeptCodes select(NearestCodeSelector.Targets targets, long[] seeds, int m, DistanceCheck check,
                       float[][] measured) {
        int n = targets.size();
        int m1 = wholeCandidates(m);
        int m2 = m - m1;
        int classes = CodeParts.count(config); // the code's parts: one per class, or per instance
        long[] whole = new long[n * m1];
        long[] donorSeeds = new long[n * m2];
        for (int t = 0; t < n; t++) {
            System.arraycopy(seeds, t * m, whole, t * m1, m1);
            System.arraycopy(seeds, t * m + m1, donorSeeds, t * m2, m2);
        }
        // Stage 1: whole codes, their distances split by class (rows sum to the whole distance).
        float[][] first;
        if (measured == null) {
            first = selector.regionDistances(targets, whole, m1);
        } else {
            first = new float[n * m1][];
            for (int t = 0; t < n; t++) {
                System.arraycopy(measured, t * m, first, t * m1, m1);
            }
        }
        long[] bases = new long[n];
        float[][] baseRegions = new float[n][];
        float[] baseTotals = new float[n];
        for (int t = 0; t < n; t++) {
            float[] totals = new float[m1];
            for (int j = 0; j < m1; j++) {
                totals[j] = check.finite(sum(first[t * m1 + j]));
            }
            int best = NearestCodeSelector.nearestIndex(totals, 0, m1, rejectBelow);
            bases[t] = whole[t * m1 + best];
            baseRegions[t] = first[t * m1 + best];
            baseTotals[t] = totals[best];
        }
        // Stage 2: each donor's class parts on the base.
        List<LatentCode> lent = new ArrayList<>(n * m2);
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < m2; k++) {
                lent.add(RegionalCodes.withRegionsOf(config, targets.layout(t), bases[t], donorSeeds[t * m2 + k]));
            }
        }
        float[][] second = m2 == 0 ? new float[0][] : selector.regionDistances(targets, lent, m2);
        long[] donors = new long[n * classes];
        List<LatentCode> composed = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            int[] present = CodeParts.histogram(config, CodeParts.of(config, targets.layout(t)));
            for (int c = 0; c < classes; c++) {
                donors[t * classes + c] = nearestDonor(bases[t], baseRegions[t][c], second, donorSeeds, t, m2, c,
                        present[c] > 0, check);
                if (wholeDonate && present[c] > 0) {
                    donors[t * classes + c] = nearerWhole(donors[t * classes + c], bases[t], baseRegions[t][c],
                            second, donorSeeds, first, whole, t, m1, m2, c, check);
                }
            }
        }
        if (staged && m2 > 0) {
            chooseInstancesOnTheScene(targets, bases, donorSeeds, m2, donors, check);
        }
        for (int t = 0; t < n; t++) {
            composed.add(RegionalCodes.compose(config, targets.layout(t), bases[t],
                    Arrays.copyOfRange(donors, t * classes, (t + 1) * classes)));
        }
        // The parts were chosen apart; the network mixes regions a little, so check the whole.
        float[] composedTotals = selector.distances(targets, composed, 1);
        int kept = 0;
        List<LatentCode> codes = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            float d = check.finite(composedTotals[t]);
            if (d < baseTotals[t] && d >= rejectBelow) {
                kept++;
                codes.add(composed.get(t));
            } else {
                Arrays.fill(donors, t * classes, (t + 1) * classes, bases[t]);
                codes.add(LatentCode.fromSeed(bases[t], composed.get(t).shape()));
            }
        }
        return new KeptCodes(bases, donors, codes, kept);
    }

    /**
     * The staged second half: the scene (every part of a class without instances, as chosen) is composed on the
     * base, then each donor lends only its instance parts onto that scene, and each instance keeps the nearest.
     * A donor measured as a whole code showed its instance under its own light; lent onto the scene, under the light
     * the kept code will have. Rewrites the instance entries of {@code donors}.
     */
    private void chooseInstancesOnTheScene(NearestCodeSelector.Targets targets, long[] bases, long[] donorSeeds,
                                           int m2, long[] donors, DistanceCheck check) {
        int n = targets.size();
        int parts = CodeParts.count(config);
        boolean[] instancePart = new boolean[parts];
        for (int c = 0; c < parts; c++) {
            instancePart[c] = CodeParts.slots(config, CodeParts.classOf(config, c)) > 1;
        }
        List<LatentCode> scenes = new ArrayList<>(n);
        List<LatentCode> lent = new ArrayList<>(n * m2);
        for (int t = 0; t < n; t++) {
            long[] scene = Arrays.copyOfRange(donors, t * parts, (t + 1) * parts);
            for (int c = 0; c < parts; c++) {
                if (instancePart[c]) {
                    scene[c] = bases[t];
                }
            }
            scenes.add(RegionalCodes.compose(config, targets.layout(t), bases[t], scene));
            for (int k = 0; k < m2; k++) {
                long[] withDonor = scene.clone();
                for (int c = 0; c < parts; c++) {
                    if (instancePart[c]) {
                        withDonor[c] = donorSeeds[t * m2 + k];
                    }
                }
                lent.add(RegionalCodes.compose(config, targets.layout(t), bases[t], withDonor));
            }
        }
        float[][] onScene = selector.regionDistances(targets, scenes, 1);
        float[][] third = selector.regionDistances(targets, lent, m2);
        for (int t = 0; t < n; t++) {
            int[] present = CodeParts.histogram(config, CodeParts.of(config, targets.layout(t)));
            for (int c = 0; c < parts; c++) {
                if (!instancePart[c]) {
                    continue;
                }
                donors[t * parts + c] = nearestDonor(bases[t], check.finite(onScene[t][c]), third, donorSeeds, t, m2, c,
                        present[c] > 0, check);
            }
        }
    }

    /**
     * {@code kept} (the base or a donor, chosen for part {@code c}) or one of the target's whole candidates whose
     * own image drew the part nearer still: a rare look that only a whole candidate showed is not passed over.
     */
    private static long nearerWhole(long kept, long base, float baseDistance, float[][] second, long[] donorSeeds,
                                    float[][] first, long[] whole, int t, int m1, int m2, int c, DistanceCheck check) {
        float best = baseDistance;
        for (int k = 0; k < m2 && kept != base; k++) {
            if (donorSeeds[t * m2 + k] == kept) {
                best = check.finite(second[t * m2 + k][c]);
                break;
            }
        }
        long keep = kept;
        for (int j = 0; j < m1; j++) {
            float d = check.finite(first[t * m1 + j][c]);
            if (d < best) {
                best = d;
                keep = whole[t * m1 + j];
            }
        }
        return keep;
    }

    /** The codes that {@code bases} and {@code donors} describe (a resumed run rebuilds its selection so). */
    static List<LatentCode> rebuild(ModelConfig config, List<ClassMap> layouts, long[] bases, long[] donors) {
        int classes = CodeParts.count(config); // the code's parts: one per class, or per instance
        List<LatentCode> out = new ArrayList<>(bases.length);
        for (int t = 0; t < bases.length; t++) {
            out.add(RegionalCodes.compose(config, layouts.get(t), bases[t],
                    Arrays.copyOfRange(donors, t * classes, (t + 1) * classes)));
        }
        return out;
    }

    /** Refuses a non-finite distance (argmin over NaN keeps an arbitrary code: silent collapse). */
    public interface DistanceCheck {
        float finite(float distance);
    }

    private static float sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return (float) s;
    }

    /**
     * The seed that draws part {@code c} of target {@code t} closest: {@code base} (at {@code baseDistance}) unless
     * one of the target's {@code m2} donors (rows {@code t * m2 + k} of {@code distances}) is closer; the base
     * where the part is not {@code present}.
     */
    private static long nearestDonor(long base, float baseDistance, float[][] distances, long[] donorSeeds, int t, int m2,
                                     int c, boolean present, DistanceCheck check) {
        long keep = base;
        float best = baseDistance;
        for (int k = 0; k < m2 && present; k++) {
            float d = check.finite(distances[t * m2 + k][c]);
            if (d < best) {
                best = d;
                keep = donorSeeds[t * m2 + k];
            }
        }
        return keep;
    }
}
