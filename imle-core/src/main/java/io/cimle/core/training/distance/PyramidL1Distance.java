package io.cimle.core.training.distance;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multi-scale L1 distance that needs no pretrained weights: the default distance when no VGG-19
 * weights are configured.
 *
 * <p>Why: a plain per-pixel L1 rewards the blurry average of the plausible images and hardly
 * notices a wrong colour layout if the edges are shifted; comparing average-pooled copies
 * (Gaussian-like pyramid levels) measures agreement of colours and layout at 2x, 4x, ... coarser
 * scales, and the Laplacian bands (level minus its upsampled coarser level) compare edges and
 * texture per frequency band, which is what a perceptual distance mostly responds to. All of it
 * costs a few pooling ops, so selection among many samples stays cheap.
 *
 * <p>Terms: for level s = 0..levels, {@code w_s * mean|G_s(g) - G_s(t)| * mask_s}, where G_0 is
 * the image and G_{s+1} = avgpool2x2(G_s); plus, if {@code laplacianWeight > 0}, for s < levels,
 * {@code laplacianWeight * w_s * mean|B_s(g) - B_s(t)| * mask_s} with B_s = G_s - up2(G_{s+1}).
 * Levels whose grid would drop below 1 pixel are skipped with a warning.
 */
public final class PyramidL1Distance extends FeatureTermDistance {
    private static final Logger LOG = LoggerFactory.getLogger(PyramidL1Distance.class);

    private final int levels;
    private final List<Double> levelWeights;
    private final double laplacianWeight;
    private final Set<String> warnedSizes = ConcurrentHashMap.newKeySet();

    /**
     * @param levels number of average-pooled levels after full resolution (0 = plain L1)
     * @param levelWeights levels + 1 non-negative weights, full resolution first; null = all 1
     * @param laplacianWeight factor of the Laplacian band terms; 0 disables them
     */
    public PyramidL1Distance(int levels, List<Double> levelWeights, double laplacianWeight) {
        if (levels < 0 || levels > 10) {
            throw new IllegalArgumentException("pyramid levels must be in [0, 10], got " + levels);
        }
        List<Double> weights = levelWeights == null ? Collections.nCopies(levels + 1, 1.0) : List.copyOf(levelWeights);
        if (weights.size() != levels + 1) {
            throw new IllegalArgumentException("need " + (levels + 1) + " pyramid level weights (full resolution + "
                    + levels + " pooled levels), got " + weights.size() + ": " + weights);
        }
        for (int i = 0; i < weights.size(); i++) {
            if (!(weights.get(i) >= 0) || weights.get(i).isInfinite()) {
                throw new IllegalArgumentException("pyramid level weight #" + i + " must be finite and >= 0, got "
                        + weights.get(i));
            }
        }
        if (!(laplacianWeight >= 0) || Double.isInfinite(laplacianWeight)) {
            throw new IllegalArgumentException("laplacian weight must be finite and >= 0, got " + laplacianWeight);
        }
        this.levels = levels;
        this.levelWeights = weights;
        this.laplacianWeight = laplacianWeight;
    }

    /**
     * The default level weights: each level half the finer one's, the coarsest as the one above it. Every level
     * holds all the frequencies below its own, so with unit weights the colours of 16x16 blocks counted five times
     * and a smear of a small object over its neighbours (which keeps the pooled colours) was hardly paid for; halving
     * per level makes the full resolution and its band the largest terms. Measured (docs/measured.md, "Where the
     * rendered blur is"): every fit and fidelity figure up on the rendered streets (two seeds) and the long tail.
     */
    public static final List<Double> DEFAULT_LEVEL_WEIGHTS = List.of(1.0, 0.5, 0.25, 0.125, 0.125);

    /** 4 pooled levels (down to 1/16 resolution), {@link #DEFAULT_LEVEL_WEIGHTS}, Laplacian bands on. */
    public static PyramidL1Distance defaults() {
        return new PyramidL1Distance(4, DEFAULT_LEVEL_WEIGHTS, 1.0);
    }

    @Override
    protected List<Term> terms(NDArray images) {
        List<NDArray> gauss = new ArrayList<>();
        NDArray g = images; // (N, 3, H, W)
        gauss.add(g);
        for (int s = 1; s <= levels; s++) {
            if (g.getShape().get(2) < 2 || g.getShape().get(3) < 2) {
                warnSkipped(images, s);
                break;
            }
            g = down2(g); // (N, 3, H/2^s, W/2^s)
            gauss.add(g);
        }
        List<Term> terms = new ArrayList<>();
        for (int s = 0; s < gauss.size(); s++) {
            terms.add(new Term("level" + s, gauss.get(s), s, levelWeights.get(s)));
        }
        if (laplacianWeight > 0) {
            for (int s = 0; s + 1 < gauss.size(); s++) {
                NDArray up = up2(gauss.get(s + 1)); // (N, 3, 2*floor(h/2), 2*floor(w/2))
                NDArray band = crop(gauss.get(s), up.getShape()).sub(up);
                terms.add(new Term("band" + s, band, s, laplacianWeight * levelWeights.get(s)));
            }
        }
        return terms;
    }

    private void warnSkipped(NDArray images, int fromLevel) {
        String size = images.getShape().get(2) + "x" + images.getShape().get(3);
        if (warnedSizes.add(size)) {
            LOG.warn("input {} is too small for {} pyramid levels: using levels 0..{}", size, levels, fromLevel - 1);
        }
    }

    @Override
    public String describe() {
        return "pyramid L1 (no pretrained weights; " + levels + " average-pooled levels, level weights "
                + levelWeights + (laplacianWeight > 0 ? ", Laplacian bands x" + laplacianWeight : ", no Laplacian bands")
                + ")";
    }

    @Override
    public void close() {
        // holds no native memory
    }
}
