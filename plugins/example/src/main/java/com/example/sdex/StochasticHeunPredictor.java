package com.example.sdex;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.ReverseSde;

/**
 * One stochastic Heun step from t to t + dt (dt &lt; 0): an Euler-Maruyama trial step, then the
 * drift averaged over both ends with the same noise. The noise of the reverse SDE is additive
 * (g depends on t only), where this scheme has strong order 1 and a second-order drift.
 */
final class StochasticHeunPredictor implements Predictor {
    private final ReverseSde reverse;
    private final double noiseScale;

    StochasticHeunPredictor(SamplerContext ctx, double noiseScale) {
        this.reverse = new ReverseSde(ctx.sde(), ctx.score(), ctx.probabilityFlow());
        this.noiseScale = noiseScale;
    }

    @Override
    public Step update(INDArray x, double t, double dt, Rng rng) {
        double g = reverse.diffusion(t) * noiseScale;
        double gNext = reverse.diffusion(t + dt) * noiseScale;
        INDArray noise = g == 0 && gNext == 0 ? null : rng.normal(x.dataType(), x.shape()).muli(Math.sqrt(-dt));
        INDArray f0 = reverse.drift(x, t);
        INDArray trial = f0.mul(dt).addi(x);
        if (noise != null) trial.addi(noise.mul(g));
        INDArray f1 = reverse.drift(trial, t + dt);
        // mean = x + (f0 + f1)/2 dt; the noise is integrated with g averaged over the step
        INDArray mean = f0.addi(f1).muli(0.5 * dt).addi(x);
        if (noise == null) return new Step(mean, mean);
        return new Step(noise.muli(0.5 * (g + gNext)).addi(mean), mean);
    }
}
