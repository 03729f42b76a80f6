package org.sdex.plugins.samplers.predictor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.ReverseSde;

/** One Euler-Maruyama step of the reverse-time SDE, or Euler step of the probability-flow ODE (Song et al. 2021, Sec. 4). */
final class EulerMaruyamaPredictor implements Predictor {
    private final ReverseSde reverse;

    EulerMaruyamaPredictor(SamplerContext ctx) {
        this.reverse = new ReverseSde(ctx.sde(), ctx.score(), ctx.probabilityFlow());
    }

    @Override
    public Step update(INDArray x, double t, double dt, Rng rng) {
        INDArray mean = reverse.drift(x, t).muli(dt).addi(x);
        double g = reverse.diffusion(t);
        if (g == 0) return new Step(mean, mean);
        INDArray next = rng.normal(x.dataType(), x.shape()).muli(g * Math.sqrt(-dt)).addi(mean);
        return new Step(next, mean);
    }
}
