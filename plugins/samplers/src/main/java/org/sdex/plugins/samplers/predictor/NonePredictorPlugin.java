package org.sdex.plugins.samplers.predictor;

import org.sdex.spi.Params;
import org.sdex.spi.sampling.Predictor;
import org.sdex.spi.sampling.PredictorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;

/** {@code none}: the identity predictor of PC sampling, for corrector-only runs such as annealed Langevin (Song et al. 2021, Alg. 1). */
public final class NonePredictorPlugin implements PredictorPlugin {
    @Override public String name() { return "none"; }

    @Override public String description() { return "no predictor step (corrector-only sampling)"; }

    @Override public int scoreEvaluationsPerStep(Params params) { return 0; }

    @Override public Predictor create(Params params, SamplerContext ctx) { return (x, t, dt, rng) -> new Step(x, x); }
}
