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
    PARTS,
    /**
     * {@link #PARTS}, each instance of a class whose instances differ in look weighed up by how many times rarer its
     * look is than its class's typical look (per-instance colour densities against their geometric mean, capped at {@value #INSTANCE_RARITY_CAP}); the
     * image's mean weight stays 1. A rare paint pulls its matched code as hard as the commonest paint's several
     * instances pull theirs, while scene-wide regions keep their part weights (the paper's masks would weigh a
     * common sky next to nothing).
     */
    PARTS_BY_RARITY;

    /** The largest factor a rare instance look weighs by under {@link #PARTS_BY_RARITY}. */
    public static final double INSTANCE_RARITY_CAP = 10;
}
