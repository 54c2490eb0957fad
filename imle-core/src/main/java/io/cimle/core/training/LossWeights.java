package io.cimle.core.training;

/** What the per-pixel weights of the loss (and of selection's distance) are, with loss rebalancing on. */
public enum LossWeights {
    /**
     * The paper's rarity masks (section 3.7): per class, 1 / density of its mean colour, over the image's rarest
     * region. Their spread is the ratio of the classes' colour densities, so a class of nearly one colour (a
     * clear sky, a road) weighs ~1e-5 of a car and is barely learnt.
     */
    RARITY,
    /**
     * Each part of the code (a class, or an instance of an instance class) weighs the same in the image whatever
     * its size: a pixel weighs 1 / (its part's pixel count), scaled so the image's mean weight is 1. Small
     * regions (a car) are learnt as well as large ones (the sky), and no region is drowned by another's colour
     * statistics. Rare appearances are still drawn more often by dataset rebalancing.
     */
    PARTS
}
