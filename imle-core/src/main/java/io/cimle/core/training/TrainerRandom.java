package io.cimle.core.training;

import java.util.Arrays;

/**
 * The trainer's random stream: SplitMix64 whose whole state is one long, so a checkpoint can store
 * it and a resumed run continues the exact sequence (java.util's generators hide their state).
 */
public final class TrainerRandom {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    public TrainerRandom(long seed) {
        this.state = seed;
    }

    /** The state to store; {@code new TrainerRandom(r.state())} continues where r stands. */
    public long state() {
        return state;
    }

    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound), unbiased (rejection of the top remainder). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** k distinct indices of [0, n) in random order (partial Fisher-Yates); k <= n. */
    public int[] sampleWithoutReplacement(int n, int k) {
        if (k > n) {
            throw new IllegalArgumentException("cannot draw " + k + " distinct of " + n);
        }
        int[] pool = new int[n];
        for (int i = 0; i < n; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + nextInt(n - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        return Arrays.copyOf(pool, k);
    }
}
