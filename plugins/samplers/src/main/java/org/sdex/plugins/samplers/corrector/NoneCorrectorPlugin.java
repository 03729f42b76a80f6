package org.sdex.plugins.samplers.corrector;

import org.sdex.spi.Params;
import org.sdex.spi.sampling.Corrector;
import org.sdex.spi.sampling.CorrectorPlugin;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.Step;

/** {@code none}: the identity corrector of PC sampling, for predictor-only runs (Song et al. 2021, Alg. 1). */
public final class NoneCorrectorPlugin implements CorrectorPlugin {
    @Override public String name() { return "none"; }

    @Override public String description() { return "no corrector step (predictor-only sampling)"; }

    @Override public int scoreEvaluationsPerStep(Params params) { return 0; }

    @Override public Corrector create(Params params, SamplerContext ctx) { return (x, t, rng) -> new Step(x, x); }
}
