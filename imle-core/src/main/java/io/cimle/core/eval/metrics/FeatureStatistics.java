package io.cimle.core.eval.metrics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A feature set's mean and covariance as pytorch-fid computes them ({@code np.mean(axis=0)},
 * {@code np.cov(rowvar=False)}, i.e. divided by n - 1), in double precision, with the centred
 * features kept for FID's low-rank route.
 */
public final class FeatureStatistics {
    private final int count;
    private final double[] mean;
    private final DMatrixRMaj centred; // (n, d)

    private FeatureStatistics(int count, double[] mean, DMatrixRMaj centred) {
        this.count = count;
        this.mean = mean;
        this.centred = centred;
    }

    /** @throws IllegalArgumentException under 2 rows or rows of different lengths */
    public static FeatureStatistics of(float[][] features) {
        int n = features.length;
        if (n < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 feature rows, got " + n);
        }
        int d = features[0].length;
        double[] mean = new double[d];
        for (float[] row : features) {
            if (row.length != d) {
                throw new IllegalArgumentException("feature rows differ in length: " + row.length + " and " + d);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        DMatrixRMaj centred = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred.unsafe_set(i, j, features[i][j] - mean[j]);
            }
        }
        return new FeatureStatistics(n, mean, centred);
    }

    public int count() {
        return count;
    }

    public int dimension() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** (n, d) features minus their mean. */
    DMatrixRMaj centred() {
        return centred;
    }

    /** (d, d) covariance, divided by n - 1. */
    public DMatrixRMaj covariance() {
        DMatrixRMaj sigma = new DMatrixRMaj(dimension(), dimension());
        CommonOps_DDRM.multTransA(centred, centred, sigma);
        CommonOps_DDRM.divide(sigma, count - 1);
        return sigma;
    }

    /** Trace of the covariance without forming it. */
    double covarianceTrace() {
        double sum = 0;
        for (double v : centred.data) {
            sum += v * v;
        }
        return sum / (count - 1);
    }
}
