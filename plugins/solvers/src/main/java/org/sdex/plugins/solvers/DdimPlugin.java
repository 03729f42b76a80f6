package org.sdex.plugins.solvers;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.SolverPlugin;
import org.sdex.spi.sde.Sde;

/** {@code ddim}: DDIM, deterministic (eta = 0) or stochastic denoising diffusion implicit sampler (Song, Meng, Ermon 2021, arXiv 2010.02502). */
public final class DdimPlugin implements SolverPlugin {
    static final String NAME = "ddim";

    @Override public String name() { return NAME; }

    @Override
    public String description() {
        return "DDIM on a time-uniform grid, deterministic at eta 0, ancestral at eta 1 (Song, Meng, Ermon 2021)";
    }

    @Override
    public List<Param> parameters() {
        return List.of(Param.real("eta", 0.0, "noise of each step as a fraction of the posterior std (0: deterministic, 1: DDPM)")
                .min(0).max(1));
    }

    /** One per step; with denoising the last step is the evaluation of D(x, eps) (see {@link TimeGrid}). */
    @Override public int scoreEvaluations(Params params, int steps) { return steps; }

    /** 50: DDIM is first order and needs more steps than the second-order solvers. */
    @Override public int defaultSteps() { return 50; }

    @Override public String unsupported(Sde sde, Params params) { return DenoiserView.unsupported(sde, NAME); }

    @Override
    public Solver create(Params params, SamplerContext context) {
        return new Ddim(context, DenoiserView.of(context, NAME), params.real("eta"));
    }
}
