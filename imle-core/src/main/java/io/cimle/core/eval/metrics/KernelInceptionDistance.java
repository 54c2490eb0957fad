package io.cimle.core.eval.metrics;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * KID as torch-fidelity defines it: the unbiased MMD^2 estimate with the polynomial kernel
 * k(x, y) = (x.y / d + 1)^3, over {@code subsets} random subsets of {@code subsetSize} rows of each
 * set drawn without replacement (defaults 100 and 1000, the size capped at the smaller set as
 * clean-fid does; torch-fidelity refuses instead), reported as mean and population std (np.std).
 * In double precision; torch-fidelity's numpy runs in the features' float32.
 *
 * <p>Subsets come from a {@link SplittableRandom} with a stated seed, not numpy's RandomState, so
 * the draws differ from torch-fidelity's; {@link Result} keeps the indices, which is how the
 * equality test feeds the very same subsets to the Python formula.
 */
public final class KernelInceptionDistance {
    public static final int DEFAULT_SUBSETS = 100;
    public static final int DEFAULT_SUBSET_SIZE = 1000;
    // Kernel matrices over whole sets up to this many rows (3 x 4096^2 doubles, 400 MB at most): each
    // subset then only sums entries; larger sets compute each subset's kernels on their own.
    private static final int PRECOMPUTE_LIMIT = 4096;

    /** Mean and std over subsets, each subset's value and the rows it drew from each set. */
    public record Result(double mean, double std, int subsetSize, double[] values, int[][] rows1, int[][] rows2) {}

    private KernelInceptionDistance() {
    }

    public static Result compute(float[][] f1, float[][] f2, int subsets, int subsetSize, long seed) {
        if (subsets < 1 || subsetSize < 2) {
            throw new IllegalArgumentException("KID needs >= 1 subsets of >= 2 rows, got " + subsets + " of "
                    + subsetSize);
        }
        int m = Math.min(subsetSize, Math.min(f1.length, f2.length));
        if (m < 2) {
            throw new IllegalArgumentException("KID needs at least 2 images in each set, got " + f1.length + " and "
                    + f2.length);
        }
        int d = f1[0].length;
        if (f2[0].length != d) {
            throw new IllegalArgumentException("feature sets differ in dimension: " + d + " and " + f2[0].length);
        }
        boolean whole = Math.max(f1.length, f2.length) <= PRECOMPUTE_LIMIT;
        DMatrixRMaj x1 = whole ? matrix(f1, null) : null;
        DMatrixRMaj x2 = whole ? matrix(f2, null) : null;
        DMatrixRMaj k11 = whole ? kernel(x1, x1, d) : null;
        DMatrixRMaj k22 = whole ? kernel(x2, x2, d) : null;
        DMatrixRMaj k12 = whole ? kernel(x1, x2, d) : null;
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[subsets];
        int[][] rows1 = new int[subsets][];
        int[][] rows2 = new int[subsets][];
        for (int s = 0; s < subsets; s++) {
            rows1[s] = choose(random, f1.length, m);
            rows2[s] = choose(random, f2.length, m);
            values[s] = whole ? mmd(k11, k22, k12, rows1[s], rows2[s]) : mmdOfSubset(f1, f2, rows1[s], rows2[s], d);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= subsets;
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        return new Result(mean, Math.sqrt(var / subsets), m, values, rows1, rows2);
    }

    /** torch-fidelity's mmd2 (unbiased): off-diagonal means of K11 and K22 minus twice the mean of K12. */
    static double mmd(DMatrixRMaj k11, DMatrixRMaj k22, DMatrixRMaj k12, int[] r1, int[] r2) {
        int m = r1.length;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    xx += k11.unsafe_get(r1[i], r1[j]);
                    yy += k22.unsafe_get(r2[i], r2[j]);
                }
                xy += k12.unsafe_get(r1[i], r2[j]);
            }
        }
        return (xx + yy) / ((double) m * (m - 1)) - 2 * xy / ((double) m * m);
    }

    private static double mmdOfSubset(float[][] f1, float[][] f2, int[] r1, int[] r2, int d) {
        DMatrixRMaj x = matrix(f1, r1);
        DMatrixRMaj y = matrix(f2, r2);
        int[] identity = new int[r1.length];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        return mmd(kernel(x, x, d), kernel(y, y, d), kernel(x, y, d), identity, identity);
    }

    /** (x.y / d + 1)^3 for every row pair. */
    static DMatrixRMaj kernel(DMatrixRMaj x, DMatrixRMaj y, int d) {
        DMatrixRMaj k = new DMatrixRMaj(x.numRows, y.numRows);
        CommonOps_DDRM.multTransB(x, y, k);
        for (int i = 0; i < k.data.length; i++) {
            double v = k.data[i] / d + 1;
            k.data[i] = v * v * v;
        }
        return k;
    }

    private static DMatrixRMaj matrix(float[][] f, int[] rows) {
        int n = rows == null ? f.length : rows.length;
        int d = f[0].length;
        DMatrixRMaj out = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            float[] row = f[rows == null ? i : rows[i]];
            for (int j = 0; j < d; j++) {
                out.unsafe_set(i, j, row[j]);
            }
        }
        return out;
    }

    /** {@code m} distinct indices of {@code 0..n-1}, uniformly (a partial Fisher-Yates shuffle). */
    private static int[] choose(SplittableRandom random, int n, int m) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = new int[m];
        System.arraycopy(all, 0, out, 0, m);
        return out;
    }
}
