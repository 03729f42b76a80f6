package org.sdex.plugins.solvers;

import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sampling.SamplerContext;

/**
 * EDM's stochastic sampler with Heun's second-order correction (Karras et al. 2022, arXiv 2206.00364,
 * Alg. 2), for any linear SDE through the scaling of their Sec. 3 / Table 1: with
 * {@code s(t) = alpha(t)} and noise level {@code sigma_hat(t) = sigma(t) / alpha(t)}, the scaled
 * variable {@code x_hat = x / alpha} has the marginals of a VE process with noise level sigma_hat and
 * obeys {@code dx_hat / dsigma_hat = (x_hat - D) / sigma_hat = eps}, the noise prediction at
 * {@code (alpha x_hat, t)}. Alg. 2 runs verbatim on x_hat with the noise levels
 * {@code sigma_hat_i} of EDM's Eq. 5 (rho) between sigma_hat(T) and sigma_hat(eps); each noise
 * level is mapped back to the time at which the score is evaluated.
 *
 * <p>Churn: where {@code sTmin <= sigma_hat_i <= sTmax} the noise level is first raised to
 * {@code sigma_hat_i (1 + gamma)}, {@code gamma = min(sChurn / steps, sqrt 2 - 1)}, by adding noise of std
 * {@code sNoise sqrt(raised^2 - sigma_hat_i^2)}. The raised level is capped at sigma_hat(T), so the
 * score is never asked outside [eps, T] (the first step, at sigma_hat(T), therefore never churns).
 *
 * <p>Steps and evaluations: every step but the last is a Heun step (2 evaluations); the last is an
 * Euler step (1). Without denoising the last step goes to eps; with denoising (see {@link TimeGrid})
 * it goes to noise level 0, as in EDM, and its result is exactly {@code D(x(eps), eps)}. Either way
 * {@code 2 steps - 1} score evaluations.
 */
final class EdmHeun implements Solver {
    private final DenoiserView view;
    private final int steps;
    private final double eps;
    private final boolean denoise;
    private final double sChurn, sTmin, sTmax, sNoise, rho;
    private final StepHook hook;

    EdmHeun(SamplerContext ctx, DenoiserView view, double sChurn, double sTmin, double sTmax, double sNoise, double rho) {
        this.view = view;
        this.steps = ctx.steps();
        this.eps = ctx.eps();
        this.denoise = ctx.denoise();
        this.sChurn = sChurn;
        this.sTmin = sTmin;
        this.sTmax = sTmax;
        this.sNoise = sNoise;
        this.rho = rho;
        this.hook = ctx.hook();
    }

    @Override
    public INDArray sample(INDArray xT, Rng rng, IntConsumer onStep) {
        double T = view.T();
        double[] t = TimeGrid.karras(view, T, eps, TimeGrid.intervals(steps, denoise), rho);
        int n = t.length - 1;
        double[] level = new double[n + 1];
        for (int i = 0; i <= n; i++) level[i] = view.scaledSigma(t[i]);
        double gammaMax = Math.min(sChurn / steps, Math.sqrt(2) - 1);
        INDArray x = xT.div(view.alpha(T)); // x_hat
        for (int i = 0; i < n; i++) {
            double from = t[i], s = level[i];
            if (gammaMax > 0 && s >= sTmin && s <= sTmax) {
                double raised = Math.min(s * (1 + gammaMax), level[0]);
                if (raised > s) {
                    from = TimeGrid.timeAtScaledSigma(view, raised, eps, T);
                    raised = view.scaledSigma(from);
                    x.addi(rng.normal(x.dataType(), x.shape()).muli(sNoise * Math.sqrt(raised * raised - s * s)));
                    s = raised;
                }
            }
            double ds = level[i + 1] - s;
            INDArray d = slope(x, from);
            if (i == n - 1 && !denoise) {
                x.addi(d.muli(ds)); // the last step, to eps: Euler
            } else {
                INDArray d2 = slope(d.mul(ds).addi(x), t[i + 1]);
                x.addi(d.addi(d2).muli(0.5 * ds));
            }
            if (hook != StepHook.NONE) {
                // the hook sees the state x = alpha x_hat at the step's end time
                double a = view.alpha(t[i + 1]);
                x = hook.apply(x.mul(a), t[i + 1], rng).div(a);
            }
            if (onStep != null) onStep.accept(i + 1);
        }
        double alpha = view.alpha(t[n]);
        if (!denoise) return x.muli(alpha);
        // Euler from sigma_hat(eps) to 0: x_hat - sigma_hat eps_hat = D(x(eps), eps)
        INDArray out = hook.applyFinal(view.denoise(x.muli(alpha), t[n]), rng);
        if (onStep != null) onStep.accept(n + 1);
        return out;
    }

    /** {@code dx_hat / dsigma_hat} at time t: the noise prediction at {@code x = alpha(t) x_hat}. */
    private INDArray slope(INDArray xHat, double t) {
        return view.noise(xHat.mul(view.alpha(t)), t);
    }
}
