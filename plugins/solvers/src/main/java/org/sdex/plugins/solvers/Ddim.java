package org.sdex.plugins.solvers;

import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.StepHook;
import org.sdex.spi.sampling.SamplerContext;

/**
 * DDIM (Song, Meng, Ermon 2021, arXiv 2010.02502, Eq. 12) for any alpha and sigma: from t to
 * s &lt; t, with {@code D = D(x_t, t)} and {@code eps = (x_t - alpha_t D) / sigma_t},
 * <pre>
 *   x_s = alpha_s D + sqrt(sigma_s^2 - sigma_eta^2) eps + sigma_eta z,
 *   sigma_eta = eta sigma_s sqrt(1 - e^{-2 h}),  h = lambda(s) - lambda(t),
 * </pre>
 * where {@code sigma_s sqrt(1 - e^{-2h})} is the std of the posterior q(x_s | x_t, x_0) of any linear
 * kernel; for VP ({@code a = alpha^2 = 1 - sigma^2}) it is the paper's Eq. 16,
 * {@code eta sqrt((1 - a_s)/(1 - a_t)) sqrt(1 - a_t/a_s)}. eta = 0 is the deterministic DDIM (= first-order DPM-Solver++),
 * eta = 1 ancestral sampling (DDPM, or SMLD's ancestral sampler on VE). Time-uniform grid; one
 * score evaluation per step; denoising follows {@link TimeGrid}'s convention.
 */
final class Ddim implements Solver {
    private final DenoiserView view;
    private final int steps;
    private final double eps;
    private final boolean denoise;
    private final double eta;
    private final StepHook hook;

    Ddim(SamplerContext ctx, DenoiserView view, double eta) {
        this.view = view;
        this.steps = ctx.steps();
        this.eps = ctx.eps();
        this.denoise = ctx.denoise();
        this.eta = eta;
        this.hook = ctx.hook();
    }

    @Override
    public INDArray sample(INDArray xT, Rng rng, IntConsumer onStep) {
        double[] t = TimeGrid.timeUniform(view.T(), eps, TimeGrid.intervals(steps, denoise));
        int n = t.length - 1;
        INDArray x = xT.dup();
        for (int i = 1; i <= n; i++) {
            double from = t[i - 1], to = t[i];
            double h = view.lambda(to) - view.lambda(from);
            double sigmaTo = view.sigma(to), alphaTo = view.alpha(to);
            INDArray d = view.denoise(x, from);
            if (eta == 0) {
                // x_s = (sigma_s / sigma_t) x_t + alpha_s (1 - e^{-h}) D
                x.muli(sigmaTo / view.sigma(from)).addi(d.muli(-alphaTo * Math.expm1(-h)));
            } else {
                double sigmaEta = eta * sigmaTo * Math.sqrt(-Math.expm1(-2 * h));
                // k = sqrt(sigma_s^2 - sigma_eta^2) / sigma_s; x_s = k (sigma_s / sigma_t) x_t + alpha_s (1 - k e^{-h}) D + sigma_eta z
                double k = Math.sqrt(1 + eta * eta * Math.expm1(-2 * h));
                x.muli(k * sigmaTo / view.sigma(from)).addi(d.muli(alphaTo * (1 - k * Math.exp(-h))));
                x.addi(rng.normal(x.dataType(), x.shape()).muli(sigmaEta));
            }
            x = hook.apply(x, to, rng);
            if (onStep != null) onStep.accept(i);
        }
        if (denoise) {
            x = hook.applyFinal(view.denoise(x, t[n]), rng);
            if (onStep != null) onStep.accept(n + 1);
        }
        return x;
    }
}
