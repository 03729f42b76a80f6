package org.sdex.plugins.samplers;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sde.Discretization;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;

/**
 * The exact mean and covariance that a PC sampler produces for Gaussian data N(mu, S), written out
 * from the algorithms' formulas (not from the plugins). The exact score of Gaussian data is linear,
 * {@code s(x, t) = -P_t (x - alpha mu)} with {@code P_t = (alpha^2 S + sigma^2 I)^-1}, so every
 * predictor and ALD step is an affine map plus independent Gaussian noise, and the moments can be
 * carried exactly from the prior N(0, priorStd^2 I) through the same time grid as the sampler. The
 * difference from (mu, S) is the sampler's discretisation bias plus the prior mismatch at T; for a
 * mixture whose components are far apart it is applied to each component alone. The
 * {@code langevin} corrector's step depends on the batch's norms; it is taken at their
 * expectations, see {@link #langevin}.
 */
final class MomentModel {
    private MomentModel() {}

    /** Mean and covariance, updated in place. */
    static final class Gaussian {
        double[] m;
        double[][] c;

        Gaussian(double[] m, double[][] c) {
            this.m = m;
            this.c = c;
        }

        /** x' = A x + b + N(0, q I). */
        void affine(double[][] a, double[] b, double q) {
            int d = m.length;
            double[] mn = new double[d];
            for (int i = 0; i < d; i++) {
                double s = b[i];
                for (int j = 0; j < d; j++) s += a[i][j] * m[j];
                mn[i] = s;
            }
            double[][] ac = mul(a, c);
            double[][] cn = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = i == j ? q : 0;
                    for (int l = 0; l < d; l++) s += ac[i][l] * a[j][l];
                    cn[i][j] = s;
                }
            }
            m = mn;
            c = cn;
        }
    }

    /**
     * One predictor or corrector update of the sampler on Gaussian data at time t, the score being
     * {@code -p (x - center)}; {@code last} marks the last predictor step, whose noise-free mean is
     * the sample.
     */
    interface Move {
        void apply(Gaussian g, Sde sde, double t, double dt, int steps, double[][] p, double[] center, boolean last);
    }

    static final Move NONE = (g, sde, t, dt, steps, p, center, last) -> { };

    /** Euler-Maruyama: x' = x + [f x - w g^2 s] dt + g sqrt(-dt) z (w = 1/2 and no noise for the ODE). */
    static Move eulerMaruyama(boolean probabilityFlow) {
        double w = probabilityFlow ? 0.5 : 1.0;
        return (g, sde, t, dt, steps, p, center, last) -> {
            double f = sde.driftCoefficient(t), g2 = sde.diffusion(t) * sde.diffusion(t);
            // x' = (1 + f dt) x + w g^2 dt P (x - center)
            g.affine(plus(scaled(identity(p.length), 1 + f * dt), scaled(p, w * g2 * dt)),
                    times(scaled(p, -w * g2 * dt), center), probabilityFlow || last ? 0 : g2 * -dt);
        };
    }

    /** Reverse diffusion: x' = x - D x + w G^2 s + G z with (D, G) the forward discretisation at t. */
    static Move reverseDiffusion(boolean probabilityFlow) {
        double w = probabilityFlow ? 0.5 : 1.0;
        return (g, sde, t, dt, steps, p, center, last) -> {
            Discretization d = sde.discretize(t, steps);
            double g2 = d.noiseScale() * d.noiseScale();
            g.affine(plus(scaled(identity(p.length), 1 - d.driftScale()), scaled(p, -w * g2)),
                    times(scaled(p, w * g2), center), probabilityFlow || last ? 0 : g2);
        };
    }

    /**
     * Ancestral sampling as specified: s = t + dt, x0 = (x + sigma_t^2 score) / alpha_t,
     * a = alpha_t / alpha_s, v = sigma_t^2 - a^2 sigma_s^2, mean = (a sigma_s^2 / sigma_t^2) x
     * + (alpha_s v / sigma_t^2) x0, variance v sigma_s^2 / sigma_t^2.
     */
    static final Move ANCESTRAL = (g, sde, t, dt, steps, p, center, last) -> {
        double s = Math.max(t + dt, 0);
        double at = sde.meanScale(t), as = sde.meanScale(s), st2 = sq(sde.marginalStd(t)), ss2 = sq(sde.marginalStd(s));
        double a = at / as, v = st2 - a * a * ss2;
        double cx = a * ss2 / st2, c0 = as * v / st2;
        // x0 = ((I - st2 P) x + st2 P center) / at
        double[][] x0a = scaled(plus(identity(p.length), scaled(p, -st2)), 1 / at);
        double[] x0b = times(scaled(p, st2 / at), center);
        g.affine(plus(scaled(identity(p.length), cx), scaled(x0a, c0)), scaledVec(x0b, c0), last ? 0 : v * ss2 / st2);
    };

    /** Annealed Langevin dynamics: nSteps of x' = x + e s + sqrt(2 e) z, e = 2 (1 + D)^2 (snr sigma_t)^2. */
    static Move ald(double snr, int nSteps) {
        return (g, sde, t, dt, steps, p, center, last) -> {
            double alpha = sq(1 + sde.discretize(t, steps).driftScale());
            double e = 2 * alpha * sq(snr * sde.marginalStd(t));
            for (int k = 0; k < nSteps; k++) {
                g.affine(plus(identity(p.length), scaled(p, -e)), times(scaled(p, e), center), 2 * e);
            }
        };
    }

    /**
     * The {@code langevin} corrector with batch norms: nSteps of x' = x + e s + sqrt(2 e) z with
     * {@code e = 2 (1 + D)^2 snr^2 (mean |z| / mean |s|)^2}. Over a batch of thousands the two means
     * are their expectations to a fraction of a percent, so the step is taken as the function of t
     * {@code ratio(t) = (E|z| / E|s(x_t, t)|)^2} with x_t from the mixture's marginal p_t
     * ({@link #langevinRatios}); with it fixed the step is affine like ALD's.
     */
    static Move langevin(double snr, int nSteps, Map<Double, Double> ratio) {
        return (g, sde, t, dt, steps, p, center, last) -> {
            double alpha = sq(1 + sde.discretize(t, steps).driftScale());
            double e = 2 * alpha * snr * snr * ratio.get(t);
            for (int k = 0; k < nSteps; k++) {
                g.affine(plus(identity(p.length), scaled(p, -e)), times(scaled(p, e), center), 2 * e);
            }
        };
    }

    /**
     * {@code (E|z| / E|s(x_t, t)|)^2} on the sampler's grid: E|z| = sqrt 2 Gamma((d + 1) / 2) / Gamma(d / 2)
     * exactly, E|s| by Monte Carlo over {@code draws} exact draws of p_t (relative error about
     * 0.5 / sqrt(draws), so a percent at 2000 draws; it scales the Langevin part of the bias only).
     */
    static Map<Double, Double> langevinRatios(GaussianMixture mixture, Sde sde, int steps, double eps, int draws) {
        int d = mixture.dim();
        double ez = Math.sqrt(2) * Math.exp(logGammaHalf(d + 1) - logGammaHalf(d));
        Map<Double, Double> out = new HashMap<>();
        double T = sde.T();
        Rng rng = new Rng(31);
        for (int i = 0; i < steps; i++) {
            double t = T + (eps - T) * i / (steps - 1);
            GaussianMixture pt = mixture.at(sde, t);
            INDArray s = pt.score(pt.sample(draws, rng, DataType.DOUBLE));
            double es = s.norm2(1).meanNumber().doubleValue();
            out.put(t, sq(ez / es));
        }
        return out;
    }

    /** log Gamma(k / 2) for a positive integer k. */
    static double logGammaHalf(int k) {
        double v = k % 2 == 0 ? 0.0 : 0.5 * Math.log(Math.PI);
        for (double x = k % 2 == 0 ? 1.0 : 0.5; x < k / 2.0 - 1e-9; x += 1) v += Math.log(x);
        return v;
    }

    /**
     * The final mean and covariance of each component, sampled alone with t_i = linspace(T, eps, N),
     * dt = -T/N, corrector then predictor: {means, covariances} as [K][d] and [K][d][d].
     */
    static Object[] run(GaussianMixture mixture, Sde sde, Move predictor, Move corrector, int steps, double eps) {
        int k = mixture.components(), d = mixture.dim();
        double[][] means = new double[k][];
        double[][][] covs = new double[k][][];
        double T = sde.T(), dt = -T / steps;
        for (int q = 0; q < k; q++) {
            double[] mu = mixture.mean(q);
            double[][] cov = mixture.covariance(q);
            Gaussian g = new Gaussian(new double[d], scaled(identity(d), sq(sde.priorStd())));
            for (int i = 0; i < steps; i++) {
                double t = T + (eps - T) * i / (steps - 1);
                double alpha = sde.meanScale(t), sigma = sde.marginalStd(t);
                double[][] p = inverse(plus(scaled(cov, alpha * alpha), scaled(identity(d), sigma * sigma)));
                double[] center = scaledVec(mu, alpha);
                corrector.apply(g, sde, t, dt, steps, p, center, false);
                predictor.apply(g, sde, t, dt, steps, p, center, i == steps - 1);
            }
            means[q] = g.m;
            covs[q] = g.c;
        }
        return new Object[] {means, covs};
    }

    static double sq(double v) { return v * v; }

    static double[][] identity(int d) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) a[i][i] = 1;
        return a;
    }

    static double[][] scaled(double[][] a, double s) {
        double[][] r = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) r[i][j] = a[i][j] * s;
        return r;
    }

    static double[] scaledVec(double[] v, double s) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = v[i] * s;
        return r;
    }

    static double[][] plus(double[][] a, double[][] b) {
        double[][] r = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) r[i][j] = a[i][j] + b[i][j];
        return r;
    }

    static double[] times(double[][] a, double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) for (int j = 0; j < v.length; j++) r[i] += a[i][j] * v[j];
        return r;
    }

    static double[][] mul(double[][] a, double[][] b) {
        int d = a.length;
        double[][] r = new double[d][d];
        for (int i = 0; i < d; i++) for (int l = 0; l < d; l++) for (int j = 0; j < d; j++) r[i][j] += a[i][l] * b[l][j];
        return r;
    }

    /** Inverse by Gauss-Jordan elimination with partial pivoting. */
    static double[][] inverse(double[][] a) {
        int d = a.length;
        double[][] m = new double[d][2 * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(a[i], 0, m[i], 0, d);
            m[i][d + i] = 1;
        }
        for (int col = 0; col < d; col++) {
            int piv = col;
            for (int r = col + 1; r < d; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
            double[] tmp = m[col];
            m[col] = m[piv];
            m[piv] = tmp;
            double inv = 1 / m[col][col];
            for (int j = 0; j < 2 * d; j++) m[col][j] *= inv;
            for (int r = 0; r < d; r++) {
                if (r == col || m[r][col] == 0) continue;
                double f = m[r][col];
                for (int j = 0; j < 2 * d; j++) m[r][j] -= f * m[col][j];
            }
        }
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) System.arraycopy(m[i], d, out[i], 0, d);
        return out;
    }
}
