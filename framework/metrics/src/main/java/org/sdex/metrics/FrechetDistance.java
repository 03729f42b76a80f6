package org.sdex.metrics;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Fréchet distance between Gaussians fitted to two feature sets (Heusel et al. 2017, the "FID"
 * when the features are Inception-v3's pool3): {@code |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2))}.
 * The trace of the matrix square root is the sum of the square roots of the eigenvalues of the
 * symmetric {@code S1^(1/2) S2 S1^(1/2)}, which has the same spectrum as {@code S1 S2}: two symmetric
 * eigendecompositions in double precision instead of a general matrix square root.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** Mean and covariance (unbiased, as numpy's {@code np.cov(rowvar=False)}) of features [n, d]. */
    public record Gaussian(INDArray mean, INDArray covariance, long n) {
        public static Gaussian of(INDArray features) {
            if (features.rank() != 2 || features.size(0) < 2) throw new IllegalArgumentException("need features [n >= 2, d]");
            INDArray x = features.castTo(DataType.DOUBLE);
            INDArray mean = x.mean(0);
            INDArray centred = x.subRowVector(mean);
            INDArray cov = centred.transpose().mmul(centred).divi(x.size(0) - 1);
            return new Gaussian(mean, cov, x.size(0));
        }
    }

    public static double between(INDArray features1, INDArray features2) {
        return between(Gaussian.of(features1), Gaussian.of(features2));
    }

    public static double between(Gaussian a, Gaussian b) {
        if (a.mean().length() != b.mean().length()) throw new IllegalArgumentException("feature sizes differ");
        double meanTerm = a.mean().sub(b.mean()).norm2Number().doubleValue();
        meanTerm *= meanTerm;
        double traces = trace(a.covariance()) + trace(b.covariance());
        INDArray rootA = symmetricSqrt(a.covariance());
        INDArray m = rootA.mmul(b.covariance()).mmul(rootA);
        m = m.add(m.transpose()).muli(0.5); // symmetric up to rounding (not addi: m.transpose() is a view of m)
        INDArray eigen = Eigen.symmetricGeneralizedEigenvalues(m.dup(), false);
        double traceSqrt = 0;
        for (int i = 0; i < eigen.length(); i++) traceSqrt += Math.sqrt(Math.max(eigen.getDouble(i), 0));
        return meanTerm + traces - 2 * traceSqrt;
    }

    static double trace(INDArray square) {
        double t = 0;
        for (long i = 0; i < square.size(0); i++) t += square.getDouble(i, i);
        return t;
    }

    /** The symmetric positive semi-definite square root (negative rounding-level eigenvalues as 0). */
    static INDArray symmetricSqrt(INDArray s) {
        INDArray vectors = s.dup();
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true); // vectors: the eigenvectors as columns
        INDArray roots = Nd4j.create(DataType.DOUBLE, values.length());
        for (int i = 0; i < values.length(); i++) roots.putScalar(i, Math.sqrt(Math.max(values.getDouble(i), 0)));
        return vectors.mulRowVector(roots).mmul(vectors.transpose());
    }
}
