package org.sdex.plugins.samplers.predictor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.Params;
import org.sdex.spi.random.Rng;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;
import org.sdex.spi.sde.ReverseSde;

/** {@code reverse_diffusion}: the reverse-diffusion predictor, the reverse of the SDE's own N-step discretisation (Song et al. 2021, App. E, Alg. 2-3). */
public final class ReverseDiffusionPlugin implements PredictorPlugin {
    @Override public String name() { return "reverse_diffusion"; }

    @Override
    public String description() {
        return "reverse of the SDE's N-step discretisation, x - f x + G^2 s + G z (deterministic with probabilityFlow)";
    }

    @Override public Predictor create(Params params, SamplerContext ctx) { return new ReverseDiffusionPredictor(ctx); }

    /**
     * {@code x_mean = x - rev_f}, {@code x = x_mean + G z} with {@code rev_f = D x - G^2 s(x, t)} from
     * {@link ReverseSde#discretized} (D, G: the forward discretisation at t for N = the PC loop's
     * steps; half the score and no noise for the probability flow). The step dt of the loop is not
     * used: the discretisation fixes the step, as in the reference.
     */
    static final class ReverseDiffusionPredictor implements Predictor {
        private final ReverseSde reverse;
        private final int steps;

        ReverseDiffusionPredictor(SamplerContext ctx) {
            this.reverse = new ReverseSde(ctx.sde(), ctx.score(), ctx.probabilityFlow());
            this.steps = ctx.steps();
        }

        @Override
        public Step update(INDArray x, double t, double dt, Rng rng) {
            ReverseSde.Step d = reverse.discretized(x, t, steps);
            INDArray mean = x.sub(d.drift());
            double g = d.noiseScale();
            if (g == 0) return new Step(mean, mean);
            INDArray next = rng.normal(x.dataType(), x.shape()).muli(g).addi(mean);
            return new Step(next, mean);
        }
    }
}
