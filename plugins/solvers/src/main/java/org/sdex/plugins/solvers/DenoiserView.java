package org.sdex.plugins.solvers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.Tweedie;

/**
 * The data-prediction view of any score on a linear SDE, which is all the solvers of this module
 * use. The perturbation kernel is {@code x_t = alpha(t) x_0 + sigma(t) z} (alpha = {@link Sde#meanScale},
 * sigma = {@link Sde#marginalStd}), so Tweedie's formula turns the score into the denoiser
 * {@code D(x, t) = E[x_0 | x_t = x] = (x + sigma^2 score(x, t)) / alpha} ({@link Tweedie}) and the noise prediction
 * {@code eps(x, t) = -sigma score(x, t)}, with {@code x = alpha D + sigma eps}. The probability-flow
 * ODE is then exactly solvable in its linear part in the half-log-SNR {@code lambda = log(alpha / sigma)}
 * (Lu et al. 2022, DPM-Solver / DPM-Solver++), or, in the scaled variable {@code x / alpha} with noise
 * level {@code sigma / alpha = exp(-lambda)}, it is EDM's {@code dx/dsigma = eps} (Karras et al. 2022,
 * Sec. 3). Nothing here depends on which SDE it is beyond alpha and sigma.
 */
final class DenoiserView {
    private final Sde sde;
    private final ScoreFunction score;

    DenoiserView(Sde sde, ScoreFunction score) {
        this.sde = sde;
        this.score = score;
    }

    double T() { return sde.T(); }

    double alpha(double t) { return sde.meanScale(t); }

    double sigma(double t) { return sde.marginalStd(t); }

    /** Half-log-SNR {@code log(alpha / sigma)}; decreasing in t on a supported SDE. */
    double lambda(double t) { return Math.log(sde.meanScale(t)) - Math.log(sde.marginalStd(t)); }

    /** EDM's noise level of the scaled variable {@code x / alpha}: {@code sigma / alpha = exp(-lambda)}. */
    double scaledSigma(double t) { return sde.marginalStd(t) / sde.meanScale(t); }

    /** The denoiser {@code D(x, t) = (x + sigma^2 score) / alpha}, a new array; one score evaluation. */
    INDArray denoise(INDArray x, double t) {
        return Tweedie.denoisei(sde, x, score.score(x, t), t);
    }

    /** The noise prediction {@code eps(x, t) = -sigma score}, a new array; one score evaluation. */
    INDArray noise(INDArray x, double t) {
        return score.score(x, t).muli(-sigma(t));
    }

    /**
     * Why the denoiser view does not apply to this SDE, or null. It needs alpha > 0 and sigma > 0
     * on (0, T] and a strictly decreasing half-log-SNR (so that a grid in lambda or in sigma / alpha
     * can be mapped back to times): true for VE, VP and sub-VP, and for any linear SDE whose sigma
     * increases while alpha does not. Checked at 10^-6 T, 10^-5 T, 10^-4 T and on a uniform grid of
     * 2,000 points of (0, T].
     */
    static String unsupported(Sde sde, String solver) {
        String who = "solver '" + solver + "'";
        double T = sde.T();
        if (!(T > 0) || Double.isInfinite(T)) return who + " needs an SDE with a finite end time T > 0, got T = " + T;
        double previous = Double.POSITIVE_INFINITY;
        double previousT = 0;
        int n = 2000;
        for (int k = -3; k <= n; k++) {
            if (k == 0) continue;
            // a few points close to 0 (10^-6 T, 10^-5 T, 10^-4 T: where eps lives), then a uniform grid
            double t = k < 0 ? T * Math.pow(10, k - 3) : T * k / n;
            double a = sde.meanScale(t);
            double s = sde.marginalStd(t);
            if (!(a > 0) || Double.isInfinite(a)) {
                return who + " needs meanScale(t) > 0 (finite) on (0, T]; got " + a + " at t = " + t;
            }
            if (!(s > 0) || Double.isInfinite(s)) {
                return who + " needs marginalStd(t) > 0 (finite) on (0, T]; got " + s + " at t = " + t;
            }
            double lambda = Math.log(a) - Math.log(s);
            if (!(lambda < previous)) {
                return who + " needs marginalStd(t) / meanScale(t) strictly increasing in t (a monotone signal-to-noise"
                        + " ratio), but it does not increase between t = " + previousT + " and t = " + t;
            }
            previous = lambda;
            previousT = t;
        }
        return null;
    }

    /** Checks what a solver is built with; throws {@link IllegalArgumentException} with one line. */
    static DenoiserView of(SamplerContext ctx, String solver) {
        String problem = unsupported(ctx.sde(), solver);
        if (problem != null) throw new IllegalArgumentException(problem);
        if (ctx.steps() < 1) throw new IllegalArgumentException("solver '" + solver + "' needs steps >= 1, got " + ctx.steps());
        double T = ctx.sde().T();
        if (!(ctx.eps() > 0 && ctx.eps() < T)) {
            throw new IllegalArgumentException("solver '" + solver + "' needs 0 < eps < T = " + T + ", got eps = " + ctx.eps());
        }
        return new DenoiserView(ctx.sde(), ctx.score());
    }
}
