package org.sdex.spi.sampling;

import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;

/**
 * The predictor-corrector loop every {@link Predictor} and {@link Corrector} runs in (Song et al.
 * 2021, Alg. 1, as the reference): times {@code t_i = linspace(T, eps, N)}, step {@code dt = -T/N},
 * at each time the corrector then the predictor, the context's {@link StepHook} after each (the
 * corrector's state stands at t, the predictor's at t + dt). Part of the contract because it fixes
 * what a predictor is called with; the kernel's sampler and the plugins' tests both run it.
 */
public final class PcLoop {
    private PcLoop() {}

    /**
     * From a prior draw xT (not modified) to a sample: the last predictor step's noise-free mean with
     * the context's {@code denoise}, else its state. {@code done} (may be null) hears each finished step.
     */
    public static INDArray run(SamplerContext ctx, Predictor predictor, Corrector corrector, INDArray xT, Rng rng, IntConsumer done) {
        int steps = ctx.steps();
        double T = ctx.sde().T(), eps = ctx.eps(), dt = -T / steps;
        StepHook hook = ctx.hook();
        INDArray x = xT, mean = xT;
        for (int i = 0; i < steps; i++) {
            double t = steps == 1 ? T : T + (eps - T) * i / (steps - 1);
            Step c = hook.afterStep(corrector.update(x, t, rng), t, rng);
            Step p = hook.afterStep(predictor.update(c.x(), t, dt, rng), Math.max(t + dt, 0.0), rng);
            x = p.x();
            mean = p.mean();
            if (done != null) done.accept(i + 1);
        }
        return ctx.denoise() ? mean : x;
    }
}
