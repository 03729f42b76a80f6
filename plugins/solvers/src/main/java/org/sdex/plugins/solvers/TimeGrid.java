package org.sdex.plugins.solvers;

import java.util.function.IntToDoubleFunction;

/**
 * Decreasing time grids {@code T = t_0 > t_1 > ... > t_n = eps} for the whole-trajectory solvers:
 * uniform in t, in sqrt(t), in the half-log-SNR lambda (DPM-Solver's {@code time_uniform},
 * {@code time_quadratic}, {@code logSNR}, the skip types of Lu et al.'s code) or in {@code (sigma/alpha)^(1/rho)}
 * (EDM's Eq. 5, Karras et al. 2022). Grids in lambda or sigma/alpha are mapped back to times by
 * bisection on [eps, T], which needs only that lambda decreases ({@link DenoiserView#unsupported}).
 * The end points are exactly T and eps.
 *
 * <p>Step convention shared by the solvers. Without denoising, {@code steps} steps are
 * {@code steps} intervals of the grid from T to eps, and the result is x(eps). With
 * denoising, the last evaluation is the step from eps to noise level 0, whose result is exactly the
 * data prediction {@code D(x(eps), eps)} (as in EDM, where the last step goes to sigma = 0), so the
 * trajectory from T to eps takes {@code steps - 1} intervals ({@link #intervals}). The number of
 * score evaluations is therefore the same with and without denoising. (With a single step and
 * denoising that one evaluation is {@code D(x(T), T)}, as in EDM with one step.)
 */
final class TimeGrid {
    private TimeGrid() {}

    /** Intervals of the grid on [eps, T] for {@code steps} steps, by the convention above. */
    static int intervals(int steps, boolean denoise) { return denoise ? steps - 1 : steps; }

    /** {@code t_i = T + (eps - T) i / n}. */
    static double[] timeUniform(double T, double eps, int n) {
        return fill(T, eps, n, i -> T + (eps - T) * i / n);
    }

    /** Uniform in sqrt(t): {@code t_i = (sqrt T + (sqrt eps - sqrt T) i / n)^2} (finer near eps). */
    static double[] timeQuadratic(double T, double eps, int n) {
        double a = Math.sqrt(T), b = Math.sqrt(eps);
        return fill(T, eps, n, i -> {
            double r = a + (b - a) * i / n;
            return r * r;
        });
    }

    /** Uniform in the half-log-SNR: {@code lambda(t_i) = lambda(T) + (lambda(eps) - lambda(T)) i / n}. */
    static double[] logSnr(DenoiserView v, double T, double eps, int n) {
        double lT = v.lambda(T), lE = v.lambda(eps);
        return fill(T, eps, n, i -> timeAtLambda(v, lT + (lE - lT) * i / n, eps, T));
    }

    /**
     * EDM's noise levels {@code s_i = (s_max^(1/rho) + i/n (s_min^(1/rho) - s_max^(1/rho)))^rho} for
     * the scaled noise level s = sigma/alpha between s(T) and s(eps), as times.
     */
    static double[] karras(DenoiserView v, double T, double eps, int n, double rho) {
        double hi = Math.pow(v.scaledSigma(T), 1 / rho), lo = Math.pow(v.scaledSigma(eps), 1 / rho);
        return fill(T, eps, n, i -> timeAtScaledSigma(v, Math.pow(hi + (lo - hi) * i / n, rho), eps, T));
    }

    /** The time in [eps, T] where sigma/alpha equals {@code s} (clamped to the interval). */
    static double timeAtScaledSigma(DenoiserView v, double s, double eps, double T) {
        return timeAtLambda(v, -Math.log(s), eps, T);
    }

    /**
     * The time in [lo, hi] where lambda equals {@code target}, by bisection to full double precision
     * (lambda is decreasing); the nearer end when the target lies outside [lambda(hi), lambda(lo)].
     */
    static double timeAtLambda(DenoiserView v, double target, double lo, double hi) {
        if (target >= v.lambda(lo)) return lo;
        if (target <= v.lambda(hi)) return hi;
        for (int k = 0; k < 200; k++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (v.lambda(mid) > target) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    private static double[] fill(double T, double eps, int n, IntToDoubleFunction at) {
        double[] t = new double[n + 1];
        t[0] = T;
        for (int i = 1; i < n; i++) t[i] = at.applyAsDouble(i);
        if (n > 0) t[n] = eps;
        return t;
    }
}
