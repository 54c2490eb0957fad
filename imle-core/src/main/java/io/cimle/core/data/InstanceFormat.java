package io.cimle.core.data;

/** How an instance map PNG (single channel, 8 or 16 bit) names the object of each pixel. */
public enum InstanceFormat {
    /**
     * 0 for no instance, any other value an instance of the class at that pixel (a paired folder's
     * {@code instances/NAME.png}, the rendered and toy sets, BDD100K-style id maps flattened to one channel).
     */
    INSTANCE_IDS,
    /**
     * Cityscapes' {@code *_gtFine_instanceIds.png}: label id x 1000 + instance number for objects of the
     * classes that have instances (person, rider, car, truck, bus, caravan, trailer, train, motorcycle,
     * bicycle); below 1000 a plain label id (stuff, or a crowd of objects), which is no instance.
     */
    CITYSCAPES_INSTANCE_IDS
}
