package io.cimle.core.training.distance;

import ai.djl.ndarray.NDArray;

/**
 * The distance L of Conditional IMLE: used twice, with different needs.
 *
 * <ul>
 *   <li>As the training loss ({@link #perSample}): differentiable with respect to the generated
 *       images, called inside a {@code GradientCollector}.
 *   <li>To pick the nearest of m samples ({@link #prepare} once per target, then
 *       {@link #perCandidate}): under no-grad, with the target's features computed once instead of
 *       once per candidate as the reference code does.
 * </ul>
 *
 * <p>All images are (N, 3, H, W) float32 in 0..255 space. A mask is a per-pixel weight map
 * (N, 1, H, W) (the rebalancing mask); it is resized to every term's resolution by area averaging
 * and multiplies every term; {@code null} means weight 1 everywhere.
 *
 * <p>{@code perCandidate(c, prepare(t, m))} equals {@code perSample(c, t repeated, m repeated)}.
 */
public interface Distance extends AutoCloseable {

    /** One line for the training log: which distance and which weights. */
    String describe();

    /**
     * Distances between matching pairs.
     *
     * @param generated (N, 3, H, W) in 0..255; gradients flow to it
     * @param target (N, 3, H, W) in 0..255
     * @param mask (N, 1, H, W) per-pixel weights, or null for uniform weight 1
     * @return (N,) distances
     */
    NDArray perSample(NDArray generated, NDArray target, NDArray mask);

    /**
     * Computes the features of ONE target image (and its mask pyramid) once, for selection.
     *
     * @param target (1, 3, H, W) in 0..255
     * @param mask (1, 1, H, W) or null
     * @return features to pass to {@link #perCandidate}; the caller closes them
     */
    TargetFeatures prepare(NDArray target, NDArray mask);

    /**
     * Distances of M candidates to one prepared target (no gradients needed).
     *
     * @param candidates (M, 3, H, W) in 0..255, same H and W as the prepared target
     * @return (M,) distances, attached to the candidates' manager
     */
    NDArray perCandidate(NDArray candidates, TargetFeatures target);

    /**
     * The distances of M candidates to one prepared target, split by region: entry (j, r) sums candidate
     * j's terms over region r's share of every pixel, so each row sums to {@link #perCandidate}'s value.
     *
     * @param candidates (M, 3, H, W) in 0..255
     * @param regions    (1, R, H, W) weights that sum to 1 at every pixel (a one-hot layout)
     * @return (M, R), attached to the candidates' manager
     */
    NDArray perCandidateByRegion(NDArray candidates, TargetFeatures target, NDArray regions);

    /** Releases native memory held by the distance (e.g. VGG weights). */
    @Override
    void close();
}
