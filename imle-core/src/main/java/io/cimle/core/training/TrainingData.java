package io.cimle.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cimle.core.data.ClassMap;
import io.cimle.core.data.DatasetSampler;
import io.cimle.core.data.Example;
import io.cimle.core.data.RarityStatistics;
import io.cimle.core.data.RgbImage;
import io.cimle.core.model.CodeParts;
import io.cimle.core.model.ImageTensors;
import io.cimle.core.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The examples a trainer learns from, with what is derived from them once: the rarity statistics, the
 * rebalancing sampler and the per-pixel loss weights; and the tensors a step or a selection reads from them.
 */
final class TrainingData {
    private static final long SAMPLER_SALT = 0x5A3C_91E7_0D4B_2F61L;

    private final List<Example> examples;
    private final RarityStatistics rarity; // null when neither rebalancing switch is on
    private final DatasetSampler sampler;  // null unless dataset rebalancing
    private final float[][] weights;       // per example, (H*W), or null without loss rebalancing
    /** Per class, the inverse scene bandwidth its looks depend on the scene at; null where no class's do. */
    private final double[][] sceneBandwidths;
    /** Per example, its scene colour, where some class's looks depend on it (else null): fixed with the photos. */
    private final float[][] sceneColours;

    private TrainingData(List<Example> examples, RarityStatistics rarity, DatasetSampler sampler, float[][] weights) {
        this.examples = examples;
        this.rarity = rarity;
        this.sampler = sampler;
        this.weights = weights;
        this.sceneBandwidths = sceneBandwidthsOf(rarity);
        this.sceneColours = sceneBandwidths == null ? null : examples.stream().map(rarity::sceneOf)
                .map(s -> new float[] {(float) s[0], (float) s[1], (float) s[2]}).toArray(float[][]::new);
    }

    /**
     * @param fitted statistics to use, or null: fitted from {@code examples} when a rebalancing switch is on
     */
    static TrainingData prepare(List<Example> examples, RarityStatistics fitted, ImleConfig config, ModelConfig model) {
        List<Example> copy = List.copyOf(examples);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        check(copy, model);
        boolean rebalance = config.lossRebalancing() || config.datasetRebalancing();
        RarityStatistics r = !rebalance ? null
                : fitted != null ? fitted : RarityStatistics.fit(copy,
                RarityStatistics.Config.DEFAULT.withPerInstance(config.get(ImleConfig.RARITY_PER_INSTANCE))
                        .withGivenScene(config.get(ImleConfig.RARITY_GIVEN_SCENE)));
        DatasetSampler sampler = !config.datasetRebalancing() ? null
                : config.get(ImleConfig.RARITY_INSTANCES_ONLY) && r.instanceClasses().length > 0
                ? DatasetSampler.rebalanced(r, r.instanceClasses(), 5, config.seed() ^ SAMPLER_SALT)
                : DatasetSampler.rebalanced(r, config.seed() ^ SAMPLER_SALT);
        // The instance looks' rarity is per instance whatever the sampler's statistics: those where they are per
        // instance (the default), else fitted here (not stored: the same examples fit the same statistics on resume).
        RarityStatistics looks = !config.lossRebalancing() || config.lossWeights() != LossWeights.PARTS_BY_RARITY ? null
                : r.config().perInstance() ? r
                : RarityStatistics.fit(copy, RarityStatistics.Config.DEFAULT.withPerInstance(true)
                        .withGivenScene(config.get(ImleConfig.RARITY_GIVEN_SCENE)));
        float[][] weights = !config.lossRebalancing() ? null : copy.stream().map(e -> switch (config.lossWeights()) {
            case PARTS -> partWeights(model, e.layout());
            case PARTS_BY_RARITY -> scaled(partWeights(model, e.layout()),
                    looks.instanceRarity(e, LossWeights.INSTANCE_RARITY_CAP));
            case RARITY -> r.lossMask(e, config.rarityFloor());
        }).toArray(float[][]::new);
        return new TrainingData(copy, r, sampler, weights);
    }

    int size() {
        return examples.size();
    }

    List<ClassMap> layouts() {
        return examples.stream().map(Example::layout).toList();
    }

    ClassMap layout(int example) {
        return examples.get(example).layout();
    }

    /**
     * The examples' scene colours where the rarity statistics found a class's looks to depend on them (what a code
     * bank's instances pick by); null otherwise.
     */
    List<float[]> sceneColours(int[] idx) {
        if (sceneColours == null) {
            return null;
        }
        List<float[]> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(sceneColours[i]);
        }
        return out;
    }

    /** Per class, the scene bandwidth its looks were found to depend on the scene's colour at; null where none does. */
    double[][] sceneBandwidths() {
        return sceneBandwidths;
    }

    private static double[][] sceneBandwidthsOf(RarityStatistics rarity) {
        if (rarity == null) {
            return null;
        }
        double[][] out = new double[rarity.channels()][];
        boolean any = false;
        for (int c : rarity.instanceClasses()) {
            out[c] = rarity.sceneInverseBandwidth(c);
            any |= out[c] != null;
        }
        return any ? out : null;
    }

    RgbImage photo(int example) {
        return examples.get(example).photo();
    }

    /** The statistics the loss weights or the sampler came from, or null. */
    RarityStatistics rarity() {
        return rarity;
    }

    /** S example indices: by the rebalancing sampler, else uniformly (without replacement while S <= N). */
    int[] pick(int s, TrainerRandom rng) {
        int[] out = new int[s];
        if (sampler != null) {
            for (int i = 0; i < s; i++) {
                out[i] = sampler.nextIndex();
            }
        } else if (s <= examples.size()) {
            out = rng.sampleWithoutReplacement(examples.size(), s);
        } else {
            for (int i = 0; i < s; i++) {
                out[i] = rng.nextInt(examples.size());
            }
        }
        return out;
    }

    /** How many indices the sampler has drawn (0 without one): what a checkpoint records of it. */
    long samplerDrawn() {
        return sampler == null ? 0 : sampler.drawn();
    }

    /** The counter-based sampler brought to {@code drawn} by replaying its draws. */
    void replaySampler(long drawn) {
        if (sampler != null) {
            for (long d = sampler.drawn(); d < drawn; d++) {
                sampler.nextIndex();
            }
        }
    }

    List<ClassMap> layoutsOf(int[] idx) {
        List<ClassMap> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(examples.get(i).layout());
        }
        return out;
    }

    /** (n, 3, H, W) photos in 0..255 space, exactly the 8-bit values. */
    NDArray photos255(NDManager manager, int[] idx) {
        List<RgbImage> photos = new ArrayList<>(idx.length);
        for (int i : idx) {
            photos.add(examples.get(i).photo());
        }
        return ImageTensors.pixels255(manager, photos);
    }

    /** (n, 1, H, W) per-pixel loss weights, or null without loss rebalancing. */
    NDArray weights(NDManager manager, int[] idx) {
        if (weights == null) {
            return null;
        }
        Example first = examples.get(idx[0]);
        int plane = first.photo().width() * first.photo().height();
        float[] data = new float[idx.length * plane];
        for (int n = 0; n < idx.length; n++) {
            System.arraycopy(weights[idx[n]], 0, data, n * plane, plane);
        }
        return manager.create(data, new Shape(idx.length, 1, first.photo().height(), first.photo().width()));
    }

    /**
     * {@link LossWeights#PARTS}: each code part present weighs the same in the image, a pixel 1 / (its part's
     * pixel count), scaled to a mean of 1 (row-major, H*W).
     */
    private static float[] partWeights(ModelConfig model, ClassMap layout) {
        int[] part = CodeParts.of(model, layout);
        int[] size = CodeParts.histogram(model, part);
        double sum = 0;
        for (int p : part) {
            sum += 1.0 / size[p];
        }
        float[] w = new float[part.length];
        for (int i = 0; i < part.length; i++) {
            w[i] = (float) (part.length / (size[part[i]] * sum));
        }
        return w;
    }

    /** {@code weights} times {@code factors}, pixel by pixel, scaled back to a mean of 1. */
    private static float[] scaled(float[] weights, float[] factors) {
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= factors[i];
            sum += weights[i];
        }
        float norm = (float) (weights.length / sum);
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= norm;
        }
        return weights;
    }

    private static void check(List<Example> candidates, ModelConfig model) {
        int h = model.height();
        int w = model.width();
        int c = model.channels();
        for (int i = 0; i < candidates.size(); i++) {
            ClassMap l = candidates.get(i).layout();
            if (l.width() != w || l.height() != h || l.channels() != c) {
                throw new IllegalArgumentException("training example " + i + " ('" + candidates.get(i).id()
                        + "') is " + l.width() + "x" + l.height() + " with " + l.channels()
                        + " layout channels, but the model (preset " + model.presetName() + ") needs "
                        + w + "x" + h + " with " + c + "; resize the data set to the model's size");
            }
        }
    }
}
