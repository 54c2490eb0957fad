package io.cimle.core.training.distance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import io.cimle.core.model.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared machinery of distances that are a weighted sum of masked mean absolute differences of
 * feature maps: {@code L = sum_k w_k * mean_{c,h,w}(|f_k(g) - f_k(t)| * mask_k)}.
 *
 * <p>Every term lives at a pyramid scale s (the input halved s times by 2x2 average pooling, floor
 * sizes). The mask for scale s is the input mask average-pooled s times, i.e. area-resized to
 * exactly that term's grid; terms slightly smaller than their scale's grid (Laplacian bands of odd
 * sizes) take the top-left crop.
 */
abstract class FeatureTermDistance implements Distance {

    /** One feature map of a batch, at pyramid scale {@code scale}, weighted by {@code weight}. */
    record Term(String name, NDArray features, int scale, double weight) {}

    /**
     * The feature maps of a batch of images in 0..255 space.
     *
     * @param images (N, 3, H, W)
     * @return terms, each (N, C_k, H_k, W_k); the same names, scales and weights for every call
     *     with the same H and W
     */
    protected abstract List<Term> terms(NDArray images);

    @Override
    public NDArray perSample(NDArray generated, NDArray target, NDArray mask) {
        checkImages("generated", generated);
        checkImages("target", target);
        if (!generated.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException("generated " + generated.getShape() + " and target "
                    + target.getShape() + " must have the same shape");
        }
        checkMask(mask, generated.getShape());
        List<Term> g = terms(generated);
        List<Term> t = terms(target.stopGradient());
        List<NDArray> masks = mask == null ? null : maskPyramid(mask, maxScale(g));
        return combine(g, t, masks);
    }

    @Override
    public TargetFeatures prepare(NDArray target, NDArray mask) {
        checkImages("target", target);
        if (target.getShape().get(0) != 1) {
            throw new IllegalArgumentException("prepare takes ONE target image (1, 3, H, W), got "
                    + target.getShape());
        }
        checkMask(mask, target.getShape());
        NDManager owner = target.getManager().newSubManager();
        try (NDManager scratch = target.getManager().newSubManager()) {
            // Work on copies in a scratch manager so only the kept features outlive this call.
            NDArray t = target.stopGradient();
            t.attach(scratch);
            List<Term> terms = terms(t);
            List<NDArray> masks = null;
            if (mask != null) {
                NDArray m = mask.stopGradient();
                m.attach(scratch);
                masks = maskPyramid(m, maxScale(terms));
                masks.forEach(a -> a.attach(owner));
            }
            terms.forEach(term -> term.features().attach(owner));
            return new TargetFeatures(owner, terms, masks, target.getShape().get(2),
                    target.getShape().get(3), identity());
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    @Override
    public NDArray perCandidate(NDArray candidates, TargetFeatures target) {
        checkImages("candidates", candidates);
        requirePreparedHere(target);
        if (candidates.getShape().get(2) != target.height() || candidates.getShape().get(3) != target.width()) {
            throw new IllegalArgumentException("candidates " + candidates.getShape() + " do not match the prepared "
                    + "target size " + target.height() + "x" + target.width());
        }
        NDManager resultManager = candidates.getManager();
        try (NDManager scratch = resultManager.newSubManager()) {
            NDArray c = candidates.stopGradient();
            c.attach(scratch);
            // (1, C, h, w) target features broadcast against (M, C, h, w): same numbers as repeating.
            NDArray d = combine(terms(c), target.terms(), target.masks());
            d.attach(resultManager);
            return d;
        }
    }

    @Override
    public NDArray perCandidateByRegion(NDArray candidates, TargetFeatures target, NDArray regions) {
        checkImages("candidates", candidates);
        requirePreparedHere(target);
        Shape r = regions.getShape();
        if (r.dimension() != 4 || r.get(0) != 1 || r.get(2) != target.height() || r.get(3) != target.width()) {
            throw new IllegalArgumentException("regions must be (1, R, " + target.height() + ", " + target.width()
                    + "), got " + r);
        }
        NDManager resultManager = candidates.getManager();
        try (NDManager scratch = resultManager.newSubManager()) {
            NDArray c = candidates.stopGradient();
            c.attach(scratch);
            List<Term> g = terms(c);
            List<Term> t = target.terms();
            List<NDArray> masks = target.masks();
            List<NDArray> regionPyramid = maskPyramid(regions, maxScale(g));
            long m = c.getShape().get(0);
            long count = r.get(1);
            NDArray total = null;
            for (int k = 0; k < g.size(); k++) {
                Term gk = g.get(k);
                NDArray diff = gk.features().sub(t.get(k).features()).abs(); // (M, C, h, w)
                if (masks != null) {
                    diff = diff.mul(crop(masks.get(gk.scale()), diff.getShape()));
                }
                Shape ds = diff.getShape();
                long pixels = ds.get(2) * ds.get(3);
                // The term's mean over (C, h, w), taken region by region: sum_c |d| * region / (C h w).
                NDArray perPixel = diff.sum(new int[] {1}).reshape(m, pixels);              // (M, h*w)
                NDArray weights = crop(regionPyramid.get(gk.scale()), ds).reshape(count, pixels); // (R, h*w)
                NDArray term = Scalars.times(perPixel.matMul(weights.transpose()), gk.weight() / (ds.get(1) * pixels));
                total = total == null ? term : total.add(term);                             // (M, R)
            }
            total.attach(resultManager);
            return total;
        }
    }

    /** Sum over terms of weight * mean over (C, H, W) of |g - t| * mask: (N,). */
    private static NDArray combine(List<Term> g, List<Term> t, List<NDArray> masks) {
        if (g.size() != t.size()) {
            throw new IllegalStateException("term count differs: " + g.size() + " vs " + t.size());
        }
        NDArray total = null;
        for (int k = 0; k < g.size(); k++) {
            Term gk = g.get(k);
            NDArray diff = gk.features().sub(t.get(k).features()).abs(); // (N, C, h, w)
            if (masks != null) {
                diff = diff.mul(crop(masks.get(gk.scale()), diff.getShape())); // mask (N|1, 1, h, w)
            }
            NDArray term = Scalars.times(meanPerSample(diff), gk.weight()); // (N,)
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /** Mean over all axes but the first: (N, ...) -> (N,). PyTorch's DJL mean takes one axis only. */
    static NDArray meanPerSample(NDArray x) {
        return x.reshape(x.getShape().get(0), -1).mean(new int[] {1});
    }

    /** masks[s] = mask area-averaged to pyramid scale s, for s = 0..maxScale. */
    static List<NDArray> maskPyramid(NDArray mask, int maxScale) {
        List<NDArray> out = new ArrayList<>(maxScale + 1);
        NDArray m = mask; // (N, 1, H, W)
        out.add(m);
        for (int s = 1; s <= maxScale; s++) {
            m = down2(m);
            out.add(m);
        }
        return out;
    }

    /** 2x2 average pooling, stride 2, floor sizes: the pyramid step shared by images and masks. */
    static NDArray down2(NDArray x) {
        return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
    }

    /** Nearest 2x upsampling via broadcast: (N, C, h, w) -> (N, C, 2h, 2w), differentiable. */
    static NDArray up2(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
        return x.reshape(n, c, h, 1, w, 1).broadcast(n, c, h, 2, w, 2).reshape(n, c, 2 * h, 2 * w);
    }

    /** Top-left crop of a (N, C, H, W) map to the spatial size of {@code like}. */
    static NDArray crop(NDArray x, Shape like) {
        long h = like.get(2), w = like.get(3);
        if (x.getShape().get(2) == h && x.getShape().get(3) == w) {
            return x;
        }
        return x.get(new NDIndex(":, :, :{}, :{}", h, w));
    }

    private static int maxScale(List<Term> terms) {
        return terms.stream().mapToInt(Term::scale).max().orElse(0);
    }

    private void requirePreparedHere(TargetFeatures target) {
        if (!identity().equals(target.distance())) {
            throw new IllegalArgumentException("target features were prepared by " + target.distance()
                    + ", not by " + identity());
        }
    }

    /** Distinguishes instances (and their settings) for the prepared-features guard. */
    private String identity() {
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this));
    }

    static void checkImages(String what, NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException(what + " must be (N, 3, H, W) images in 0..255, got " + s);
        }
    }

    static void checkMask(NDArray mask, Shape images) {
        if (mask == null) {
            return;
        }
        Shape s = mask.getShape();
        if (s.dimension() != 4 || s.get(0) != images.get(0) || s.get(1) != 1 || s.get(2) != images.get(2)
                || s.get(3) != images.get(3)) {
            throw new IllegalArgumentException("mask must be (" + images.get(0) + ", 1, " + images.get(2) + ", "
                    + images.get(3) + ") to match the images " + images + ", got " + s);
        }
    }
}
