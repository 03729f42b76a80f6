package org.sdex.toolkit.oracle;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sdex.spi.data.MixtureParameters;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Sde;

/**
 * A Gaussian mixture {@code sum_k w_k N(mu_k, Sigma_k)} in any dimension, with its exact
 * log-density, score and samples. Under a linear SDE the marginal at time t is again a mixture,
 * {@code sum_k w_k N(alpha mu_k, alpha^2 Sigma_k + sigma^2 I)} ({@link #at(Sde, double)}), which makes
 * it the ground truth for samplers and likelihoods. Computations are in double precision.
 */
public final class GaussianMixture {
    /** The weights as given, so that {@link #parameters()} rebuilds this mixture bit for bit. */
    private final double[] givenWeights;
    private final double[] weights;
    private final double[][] means;
    private final double[][][] covariances;
    private final int dim;
    // per component: Cholesky factor, inverse covariance, log normaliser (log w - d/2 log 2pi - 1/2 log det)
    private final double[][][] chol;
    private final double[][][] precision;
    private final double[] logNorm;

    public GaussianMixture(double[] weights, double[][] means, double[][][] covariances) {
        int k = weights.length;
        if (k == 0) throw new IllegalArgumentException("a mixture needs at least one component");
        if (means.length != k || covariances.length != k) {
            throw new IllegalArgumentException("weights, means and covariances must have the same number of components ("
                    + k + ", " + means.length + ", " + covariances.length + ")");
        }
        dim = means[0].length;
        double total = 0;
        for (double w : weights) {
            if (!(w > 0)) throw new IllegalArgumentException("mixture weights must be positive, got " + Arrays.toString(weights));
            total += w;
        }
        this.givenWeights = weights.clone();
        this.weights = new double[k];
        for (int i = 0; i < k; i++) this.weights[i] = weights[i] / total;
        this.means = new double[k][];
        this.covariances = new double[k][][];
        chol = new double[k][][];
        precision = new double[k][][];
        logNorm = new double[k];
        for (int c = 0; c < k; c++) {
            if (means[c].length != dim) throw new IllegalArgumentException("mean " + c + " has dimension " + means[c].length + ", expected " + dim);
            if (covariances[c].length != dim) throw new IllegalArgumentException("covariance " + c + " is not " + dim + "x" + dim);
            this.means[c] = means[c].clone();
            this.covariances[c] = new double[dim][];
            for (int i = 0; i < dim; i++) {
                if (covariances[c][i].length != dim) throw new IllegalArgumentException("covariance " + c + " is not " + dim + "x" + dim);
                this.covariances[c][i] = covariances[c][i].clone();
                for (int j = 0; j < i; j++) {
                    if (Math.abs(covariances[c][i][j] - covariances[c][j][i]) > 1e-9 * (1 + Math.abs(covariances[c][i][j]))) {
                        throw new IllegalArgumentException("covariance " + c + " is not symmetric");
                    }
                }
            }
            chol[c] = cholesky(this.covariances[c], "covariance " + c);
            precision[c] = inverseFromCholesky(chol[c]);
            double logDet = 0;
            for (int i = 0; i < dim; i++) logDet += 2 * Math.log(chol[c][i][i]);
            logNorm[c] = Math.log(this.weights[c]) - 0.5 * dim * Math.log(2 * Math.PI) - 0.5 * logDet;
        }
    }

    /** The mixture a data set states as its distribution ({@link org.sdex.spi.data.Dataset#mixture}). */
    public GaussianMixture(MixtureParameters p) {
        this(p.weights(), p.means(), p.covariances());
    }

    /** This mixture's parameters, as a data set states them. */
    public MixtureParameters parameters() { return new MixtureParameters(givenWeights, means, covariances); }

    /** An isotropic mixture: component k is N(means[k], std[k]^2 I). */
    public static GaussianMixture isotropic(double[] weights, double[][] means, double[] std) {
        int d = means[0].length;
        double[][][] cov = new double[weights.length][d][d];
        for (int c = 0; c < weights.length; c++) for (int i = 0; i < d; i++) cov[c][i][i] = std[c] * std[c];
        return new GaussianMixture(weights, means, cov);
    }

    public int dim() { return dim; }

    public int components() { return weights.length; }

    public double[] weights() { return weights.clone(); }

    public double[] mean(int k) { return means[k].clone(); }

    public double[][] covariance(int k) {
        double[][] c = new double[dim][];
        for (int i = 0; i < dim; i++) c[i] = covariances[k][i].clone();
        return c;
    }

    /** The mixture of {@code alpha X + sigma Z} with X from this mixture and Z standard normal. */
    public GaussianMixture pushed(double alpha, double sigma) {
        int k = weights.length;
        double[][] m = new double[k][dim];
        double[][][] c = new double[k][dim][dim];
        for (int q = 0; q < k; q++) {
            for (int i = 0; i < dim; i++) {
                m[q][i] = alpha * means[q][i];
                for (int j = 0; j < dim; j++) c[q][i][j] = alpha * alpha * covariances[q][i][j];
                c[q][i][i] += sigma * sigma;
            }
        }
        return new GaussianMixture(weights, m, c);
    }

    /** The marginal p_t of this data distribution pushed through the SDE to time t. */
    public GaussianMixture at(Sde sde, double t) { return pushed(sde.meanScale(t), sde.marginalStd(t)); }

    /** Exact log-density of each row of x [B, d], in nats, as a double vector [B]. */
    public INDArray logDensity(INDArray x) {
        double[][] rows = rows(x);
        double[] out = new double[rows.length];
        double[] lp = new double[weights.length];
        double[] diff = new double[dim];
        for (int b = 0; b < rows.length; b++) {
            componentLogs(rows[b], lp, diff);
            out[b] = logSumExp(lp);
        }
        return Nd4j.createFromArray(out);
    }

    /** Exact score of each row of x [B, d]: sum_k r_k(x) (-Sigma_k^-1 (x - mu_k)); same dtype as x. */
    public INDArray score(INDArray x) {
        double[][] rows = rows(x);
        double[][] out = new double[rows.length][dim];
        double[] lp = new double[weights.length];
        double[] diff = new double[dim];
        for (int b = 0; b < rows.length; b++) {
            componentLogs(rows[b], lp, diff);
            double lse = logSumExp(lp);
            for (int c = 0; c < weights.length; c++) {
                double r = Math.exp(lp[c] - lse);
                if (r == 0) continue;
                for (int i = 0; i < dim; i++) diff[i] = rows[b][i] - means[c][i];
                for (int i = 0; i < dim; i++) {
                    double s = 0;
                    for (int j = 0; j < dim; j++) s += precision[c][i][j] * diff[j];
                    out[b][i] -= r * s;
                }
            }
        }
        return Nd4j.create(flatten(out), x.shape(), DataType.DOUBLE).castTo(x.dataType());
    }

    /**
     * Vector-Jacobian product of the score, row by row: {@code v^T ∂s(x)/∂x} for each row of x and
     * the matching row of v (both [B, d], or any shape with B rows of d values); same dtype and shape
     * as x. The Jacobian of the score is the Hessian of the log-density, in closed form
     * <pre>
     *   H(x) = sum_k r_k(x) [ -P_k + a_k a_k^T ] - s s^T,   a_k = -P_k (x - mu_k),   s = sum_k r_k a_k
     * </pre>
     * with responsibilities r_k, precisions P_k = Sigma_k^-1, component scores a_k and the score s.
     * H is symmetric, so {@code v^T H = H v = sum_k r_k (-P_k v + a_k (a_k . v)) - s (s . v)}.
     */
    public INDArray scoreVjp(INDArray x, INDArray v) {
        if (x.length() != v.length() || x.size(0) != v.size(0)) {
            throw new IllegalArgumentException("x and v must have the same shape, got " + Arrays.toString(x.shape())
                    + " and " + Arrays.toString(v.shape()));
        }
        double[][] rows = rows(x);
        double[][] vs = rows(v);
        int k = weights.length;
        double[][] out = new double[rows.length][dim];
        double[] lp = new double[k];
        double[] diff = new double[dim];
        double[] a = new double[dim];
        double[] s = new double[dim];
        double[] hv = new double[dim];
        for (int b = 0; b < rows.length; b++) {
            componentLogs(rows[b], lp, diff);
            double lse = logSumExp(lp);
            double[] vb = vs[b];
            Arrays.fill(s, 0);
            Arrays.fill(hv, 0);
            for (int c = 0; c < k; c++) {
                double r = Math.exp(lp[c] - lse);
                if (r == 0) continue;
                double[][] p = precision[c];
                for (int i = 0; i < dim; i++) diff[i] = rows[b][i] - means[c][i];
                double av = 0;
                for (int i = 0; i < dim; i++) {
                    double ai = 0, pv = 0;
                    for (int j = 0; j < dim; j++) {
                        ai -= p[i][j] * diff[j];
                        pv += p[i][j] * vb[j];
                    }
                    a[i] = ai;
                    av += ai * vb[i];
                    hv[i] -= r * pv;
                }
                for (int i = 0; i < dim; i++) {
                    hv[i] += r * av * a[i];
                    s[i] += r * a[i];
                }
            }
            double sv = 0;
            for (int i = 0; i < dim; i++) sv += s[i] * vb[i];
            for (int i = 0; i < dim; i++) out[b][i] = hv[i] - sv * s[i];
        }
        return Nd4j.create(flatten(out), x.shape(), DataType.DOUBLE).castTo(x.dataType());
    }

    /** Posterior component probabilities r_k(x) for each row: [B, K] doubles. */
    public double[][] responsibilities(INDArray x) {
        double[][] rows = rows(x);
        double[][] out = new double[rows.length][weights.length];
        double[] lp = new double[weights.length];
        double[] diff = new double[dim];
        for (int b = 0; b < rows.length; b++) {
            componentLogs(rows[b], lp, diff);
            double lse = logSumExp(lp);
            for (int c = 0; c < weights.length; c++) out[b][c] = Math.exp(lp[c] - lse);
        }
        return out;
    }

    /** n exact draws [n, d]; the component of each draw is written into {@code labels} when non-null. */
    public INDArray sample(int n, Rng rng, DataType type, int[] labels) {
        double[] z = new double[dim];
        double[][] out = new double[n][dim];
        double[] cdf = new double[weights.length];
        double acc = 0;
        for (int c = 0; c < weights.length; c++) cdf[c] = acc += weights[c];
        for (int b = 0; b < n; b++) {
            double u = rng.nextDouble();
            int c = 0;
            while (c < cdf.length - 1 && u >= cdf[c]) c++;
            if (labels != null) labels[b] = c;
            rng.fillGaussian(z, 0, dim);
            for (int i = 0; i < dim; i++) {
                double s = means[c][i];
                for (int j = 0; j <= i; j++) s += chol[c][i][j] * z[j];
                out[b][i] = s;
            }
        }
        return Nd4j.create(flatten(out), new long[] {n, dim}, DataType.DOUBLE).castTo(type);
    }

    public INDArray sample(int n, Rng rng, DataType type) { return sample(n, rng, type, null); }

    /** Mean of the whole mixture. */
    public double[] mixtureMean() {
        double[] m = new double[dim];
        for (int c = 0; c < weights.length; c++) for (int i = 0; i < dim; i++) m[i] += weights[c] * means[c][i];
        return m;
    }

    /** Covariance of the whole mixture (law of total covariance). */
    public double[][] mixtureCovariance() {
        double[] m = mixtureMean();
        double[][] cov = new double[dim][dim];
        for (int c = 0; c < weights.length; c++) {
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j < dim; j++) {
                    cov[i][j] += weights[c] * (covariances[c][i][j] + (means[c][i] - m[i]) * (means[c][j] - m[j]));
                }
            }
        }
        return cov;
    }

    private void componentLogs(double[] x, double[] lp, double[] diff) {
        for (int c = 0; c < weights.length; c++) {
            for (int i = 0; i < dim; i++) diff[i] = x[i] - means[c][i];
            // Mahalanobis distance through the Cholesky factor: solve L y = diff, |y|^2
            double q = 0;
            double[][] l = chol[c];
            double[] y = new double[dim];
            for (int i = 0; i < dim; i++) {
                double s = diff[i];
                for (int j = 0; j < i; j++) s -= l[i][j] * y[j];
                y[i] = s / l[i][i];
                q += y[i] * y[i];
            }
            lp[c] = logNorm[c] - 0.5 * q;
        }
    }

    private double[][] rows(INDArray x) {
        if (x.rank() < 1 || x.length() % dim != 0 || x.length() / x.size(0) != dim) {
            throw new IllegalArgumentException("expected points of dimension " + dim + ", got shape " + Arrays.toString(x.shape()));
        }
        // one bulk copy: INDArray.toDoubleMatrix copies row by row and costs ~0.3 s for 10^4 rows
        double[] flat = x.castTo(DataType.DOUBLE).dup('c').reshape(x.length()).toDoubleVector();
        double[][] out = new double[(int) x.size(0)][];
        for (int b = 0; b < out.length; b++) out[b] = Arrays.copyOfRange(flat, b * dim, (b + 1) * dim);
        return out;
    }

    private static double[] flatten(double[][] rows) {
        int d = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * d];
        for (int b = 0; b < rows.length; b++) System.arraycopy(rows[b], 0, flat, b * d, d);
        return flat;
    }

    private static double logSumExp(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) m = Math.max(m, d);
        if (m == Double.NEGATIVE_INFINITY) return m;
        double s = 0;
        for (double d : v) s += Math.exp(d - m);
        return m + Math.log(s);
    }

    /** The lower Cholesky factor of a symmetric positive definite matrix; {@code what} names it when it is not one. */
    static double[][] cholesky(double[][] a, String what) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                if (i == j) {
                    if (!(s > 0)) throw new IllegalArgumentException(what + " is not positive definite");
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    private static double[][] inverseFromCholesky(double[][] l) {
        int n = l.length;
        // inverse of L, then (L L^T)^-1 = L^-T L^-1
        double[][] li = new double[n][n];
        for (int i = 0; i < n; i++) {
            li[i][i] = 1 / l[i][i];
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int k = j; k < i; k++) s -= l[i][k] * li[k][j];
                li[i][j] = s / l[i][i];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = Math.max(i, j); k < n; k++) s += li[k][i] * li[k][j];
                inv[i][j] = s;
            }
        }
        return inv;
    }
}
