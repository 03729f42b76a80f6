package org.sdex.toolkit.oracle;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.operator.LinearOperator;
import org.sdex.spi.random.Rng;

/**
 * The exact posterior {@code p(x | y)} of a Gaussian-mixture prior under a linear-Gaussian
 * measurement {@code y = A x + n}, {@code n ~ N(0, noise^2 I)}: again a mixture, component k with
 * weight {@code ∝ w_k N(y; A mu_k, A Sigma_k Aᵀ + noise^2 I)} (its evidence) and the Kalman update
 * {@code mu_k + K_k (y - A mu_k)}, {@code Sigma_k - K_k A Sigma_k}, {@code K_k = Sigma_k Aᵀ S_k⁻¹}.
 * A rank-deficient A (inpainting's zero rows) with noise 0 is handled by measuring in an
 * orthonormal basis of A's range, where S_k is positive definite. Draws are exact (Matheron's
 * rule: a prior draw corrected by the gain), so degenerate posteriors (noise 0) sample too.
 */
public final class MixturePosterior {
    private final GaussianMixture prior;
    private final int dim;
    private final double noise;
    private final double[][] a;      // the measurement in the range basis, r x n
    private final double[] y;        // the observation in the range basis
    private final double[] weights;
    private final double[][] means;
    private final double[][][] gains; // n x r per component
    private final double[][][] priorChol;

    /** The posterior for one observation {@code y} ([1, output shape...] or just the output shape) of operator {@code op}. */
    public static MixturePosterior of(GaussianMixture prior, LinearOperator op, INDArray y, double noise) {
        int n = prior.dim();
        INDArray basis = Nd4j.eye(n).castTo(DataType.DOUBLE).reshape(concat(n, op.inputShape()));
        INDArray columns = op.forward(basis).reshape(n, -1); // row j = A e_j
        int m = (int) columns.size(1);
        double[][] matrix = new double[m][n];
        for (int j = 0; j < n; j++) for (int i = 0; i < m; i++) matrix[i][j] = columns.getDouble(j, i);
        return new MixturePosterior(prior, matrix, y.castTo(DataType.DOUBLE).reshape(y.length()).toDoubleVector(), noise);
    }

    public MixturePosterior(GaussianMixture prior, double[][] matrix, double[] observation, double noise) {
        this.prior = prior;
        this.dim = prior.dim();
        this.noise = noise;
        double[][] range = rangeBasis(matrix);
        int r = range.length;
        a = new double[r][dim];
        y = new double[r];
        for (int q = 0; q < r; q++) {
            for (int i = 0; i < matrix.length; i++) {
                y[q] += range[q][i] * observation[i];
                for (int j = 0; j < dim; j++) a[q][j] += range[q][i] * matrix[i][j];
            }
        }
        int k = prior.components();
        double[] logW = new double[k];
        means = new double[k][];
        gains = new double[k][][];
        priorChol = new double[k][][];
        double[] w = prior.weights();
        for (int c = 0; c < k; c++) {
            double[] mu = prior.mean(c);
            double[][] sigma = prior.covariance(c);
            priorChol[c] = GaussianMixture.cholesky(sigma, "covariance " + c);
            double[][] sa = multiply(sigma, transpose(a));             // Sigma Aᵀ, n x r
            double[][] s = multiply(a, sa);                           // A Sigma Aᵀ, r x r
            for (int q = 0; q < r; q++) s[q][q] += noise * noise;
            double[][] l = GaussianMixture.cholesky(s, "the measurement covariance");
            double[] e = new double[r];
            for (int q = 0; q < r; q++) {
                e[q] = y[q];
                for (int j = 0; j < dim; j++) e[q] -= a[q][j] * mu[j];
            }
            double[] z = forwardSolve(l, e);
            double quad = 0, logDet = 0;
            for (int q = 0; q < r; q++) {
                quad += z[q] * z[q];
                logDet += 2 * Math.log(l[q][q]);
            }
            logW[c] = Math.log(w[c]) - 0.5 * quad - 0.5 * logDet - 0.5 * r * Math.log(2 * Math.PI);
            // K = Sigma Aᵀ S⁻¹: solve S Kᵀ = A Sigma row by row
            double[][] gain = new double[dim][r];
            for (int i = 0; i < dim; i++) gain[i] = backSolve(l, forwardSolve(l, sa[i]));
            gains[c] = gain;
            double[] post = mu.clone();
            for (int i = 0; i < dim; i++) for (int q = 0; q < r; q++) post[i] += gain[i][q] * e[q];
            means[c] = post;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logW) max = Math.max(max, v);
        weights = new double[k];
        double total = 0;
        for (int c = 0; c < k; c++) total += weights[c] = Math.exp(logW[c] - max);
        for (int c = 0; c < k; c++) weights[c] /= total;
    }

    /** Posterior component weights (the evidence of each component, normalised). */
    public double[] weights() { return weights.clone(); }

    /** Posterior mean of component k. */
    public double[] mean(int k) { return means[k].clone(); }

    /** Posterior covariance of component k: {@code Sigma - K A Sigma}. */
    public double[][] covariance(int k) {
        double[][] sigma = prior.covariance(k);
        double[][] kas = multiply(gains[k], multiply(a, sigma));
        double[][] out = new double[dim][dim];
        for (int i = 0; i < dim; i++) for (int j = 0; j < dim; j++) out[i][j] = sigma[i][j] - 0.5 * (kas[i][j] + kas[j][i]);
        return out;
    }

    /** n exact posterior draws [n, d]; the component of each is written into {@code labels} when non-null. */
    public INDArray sample(int n, Rng rng, int[] labels) {
        int r = y.length;
        double[] flat = new double[n * dim];
        double[] z = new double[dim];
        double[] eta = new double[Math.max(r, 1)];
        for (int b = 0; b < n; b++) {
            double u = rng.nextDouble(), acc = 0;
            int c = 0;
            while (c < weights.length - 1 && u >= (acc += weights[c])) c++;
            if (labels != null) labels[b] = c;
            rng.fillGaussian(z, 0, dim);
            rng.fillGaussian(eta, 0, eta.length);
            double[] mu = prior.mean(c);
            double[] x0 = new double[dim];
            for (int i = 0; i < dim; i++) {
                double s = mu[i];
                for (int j = 0; j <= i; j++) s += priorChol[c][i][j] * z[j];
                x0[i] = s;
            }
            for (int i = 0; i < dim; i++) {
                double s = x0[i];
                for (int q = 0; q < r; q++) {
                    double residual = y[q] - noise * eta[q];
                    for (int j = 0; j < dim; j++) residual -= a[q][j] * x0[j];
                    s += gains[c][i][q] * residual;
                }
                flat[b * dim + i] = s;
            }
        }
        return Nd4j.create(flat, new long[] {n, dim}, DataType.DOUBLE);
    }

    /** Orthonormal rows spanning the range of A (Gram-Schmidt on its columns, twice for stability). */
    private static double[][] rangeBasis(double[][] matrix) {
        int m = matrix.length, n = matrix[0].length;
        double scale = 0;
        for (double[] row : matrix) for (double v : row) scale = Math.max(scale, Math.abs(v));
        List<double[]> basis = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            double[] v = new double[m];
            for (int i = 0; i < m; i++) v[i] = matrix[i][j];
            for (int pass = 0; pass < 2; pass++) {
                for (double[] q : basis) {
                    double d = 0;
                    for (int i = 0; i < m; i++) d += q[i] * v[i];
                    for (int i = 0; i < m; i++) v[i] -= d * q[i];
                }
            }
            double norm = 0;
            for (double x : v) norm += x * x;
            norm = Math.sqrt(norm);
            if (norm > 1e-9 * Math.max(scale, 1e-300)) {
                for (int i = 0; i < m; i++) v[i] /= norm;
                basis.add(v);
            }
        }
        return basis.toArray(new double[0][]);
    }

    /** Solves L z = b. */
    private static double[] forwardSolve(double[][] l, double[] b) {
        double[] z = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            double v = b[i];
            for (int j = 0; j < i; j++) v -= l[i][j] * z[j];
            z[i] = v / l[i][i];
        }
        return z;
    }

    /** Solves Lᵀ x = z. */
    private static double[] backSolve(double[][] l, double[] z) {
        double[] x = new double[z.length];
        for (int i = z.length - 1; i >= 0; i--) {
            double v = z[i];
            for (int j = i + 1; j < z.length; j++) v -= l[j][i] * x[j];
            x[i] = v / l[i][i];
        }
        return x;
    }

    private static double[][] multiply(double[][] p, double[][] q) {
        int inner = q.length, cols = inner == 0 ? 0 : q[0].length;
        double[][] out = new double[p.length][cols];
        for (int i = 0; i < p.length; i++) for (int k = 0; k < inner; k++) for (int j = 0; j < cols; j++) out[i][j] += p[i][k] * q[k][j];
        return out;
    }

    private static double[][] transpose(double[][] p) {
        int cols = p.length == 0 ? 0 : p[0].length;
        double[][] out = new double[cols][p.length];
        for (int i = 0; i < p.length; i++) for (int j = 0; j < cols; j++) out[j][i] = p[i][j];
        return out;
    }

    private static long[] concat(long first, long[] rest) {
        long[] s = new long[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }
}
