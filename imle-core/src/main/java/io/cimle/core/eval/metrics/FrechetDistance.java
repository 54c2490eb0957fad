package io.cimle.core.eval.metrics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The Frechet distance between two Gaussians fitted to feature sets, as pytorch-fid's
 * {@code calculate_frechet_distance}: |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr sqrtm(S1 S2).
 *
 * <p>pytorch-fid takes scipy's general {@code sqrtm} of the non-symmetric S1 S2 and keeps the real
 * part of its trace. Only the trace is needed, and S1 S2 has the eigenvalues of the symmetric PSD
 * S1^1/2 S2 S1^1/2, so tr sqrtm(S1 S2) is the sum of their square roots: two symmetric
 * eigendecompositions (EJML), numerically steadier than a Schur-form sqrtm of a near-singular
 * product. With fewer images than dimensions (every set under 2049 images) the covariances have
 * rank below d: then the same trace is the nuclear norm of X1 X2^T / sqrt((n1 - 1)(n2 - 1)) for the
 * centred features X, an n1 x n2 SVD instead of d x d work. Both routes are one quantity
 * (FrechetDistanceTest checks them against each other).
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /** The distance; the low-rank route when either set has no more rows than dimensions. */
    public static double between(FeatureStatistics a, FeatureStatistics b) {
        requireSameDimension(a, b);
        boolean lowRank = Math.min(a.count(), b.count()) <= a.dimension();
        return meanTerm(a, b) + a.covarianceTrace() + b.covarianceTrace()
                - 2 * (lowRank ? traceSqrtLowRank(a, b) : traceSqrtFull(a.covariance(), b.covariance()));
    }

    /** The same through the d x d covariances only (what cached mean/covariance pairs allow). */
    public static double betweenFull(FeatureStatistics a, FeatureStatistics b) {
        requireSameDimension(a, b);
        return meanTerm(a, b) + a.covarianceTrace() + b.covarianceTrace()
                - 2 * traceSqrtFull(a.covariance(), b.covariance());
    }

    private static double meanTerm(FeatureStatistics a, FeatureStatistics b) {
        double[] ma = a.mean();
        double[] mb = b.mean();
        double sum = 0;
        for (int j = 0; j < ma.length; j++) {
            sum += (ma[j] - mb[j]) * (ma[j] - mb[j]);
        }
        return sum;
    }

    /** tr sqrtm(S1 S2) = sum of sqrt(eigenvalues of S1^1/2 S2 S1^1/2), negatives (rounding) as 0. */
    static double traceSqrtFull(DMatrixRMaj s1, DMatrixRMaj s2) {
        int d = s1.numRows;
        DMatrixRMaj root = symmetricSqrt(s1);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root, s2, tmp);
        CommonOps_DDRM.mult(tmp, root, m);
        symmetrise(m);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(m)) {
            throw new IllegalStateException("eigendecomposition of S1^1/2 S2 S1^1/2 did not converge");
        }
        double sum = 0;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            sum += Math.sqrt(Math.max(0, eig.getEigenvalue(i).real));
        }
        return sum;
    }

    /** The nuclear norm of X1 X2^T over sqrt((n1 - 1)(n2 - 1)): the nonzero spectrum of S1 S2 comes from it. */
    static double traceSqrtLowRank(FeatureStatistics a, FeatureStatistics b) {
        DMatrixRMaj cross = new DMatrixRMaj(a.count(), b.count());
        CommonOps_DDRM.multTransB(a.centred(), b.centred(), cross);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(cross.numRows,
                cross.numCols, false, false, true);
        if (!svd.decompose(cross)) {
            throw new IllegalStateException("SVD of the cross-product of the features did not converge");
        }
        double sum = 0;
        for (double s : svd.getSingularValues()) {
            sum += s;
        }
        return sum / Math.sqrt((double) (a.count() - 1) * (b.count() - 1));
    }

    private static DMatrixRMaj symmetricSqrt(DMatrixRMaj s) {
        int d = s.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(s.copy())) {
            throw new IllegalStateException("eigendecomposition of a covariance did not converge");
        }
        DMatrixRMaj scaled = new DMatrixRMaj(d, d); // V diag(sqrt(lambda))
        DMatrixRMaj v = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            DMatrixRMaj vec = eig.getEigenVector(i);
            double r = Math.sqrt(Math.max(0, eig.getEigenvalue(i).real));
            for (int j = 0; j < d; j++) {
                v.unsafe_set(j, i, vec.get(j));
                scaled.unsafe_set(j, i, vec.get(j) * r);
            }
        }
        DMatrixRMaj root = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(scaled, v, root);
        return root;
    }

    private static void symmetrise(DMatrixRMaj m) {
        for (int i = 0; i < m.numRows; i++) {
            for (int j = i + 1; j < m.numCols; j++) {
                double avg = (m.unsafe_get(i, j) + m.unsafe_get(j, i)) / 2;
                m.unsafe_set(i, j, avg);
                m.unsafe_set(j, i, avg);
            }
        }
    }

    private static void requireSameDimension(FeatureStatistics a, FeatureStatistics b) {
        if (a.dimension() != b.dimension()) {
            throw new IllegalArgumentException("feature sets differ in dimension: " + a.dimension() + " and "
                    + b.dimension());
        }
    }
}
