package org.sdex.plugins.solvers;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.SolverPlugin;
import org.sdex.spi.sde.Sde;

/** {@code dpm_solver_pp}: DPM-Solver++ multistep (3M by default, 2M with order 2), data-prediction solver of the probability-flow ODE (Lu et al. 2022, arXiv 2211.01095). */
public final class DpmSolverPlusPlusPlugin implements SolverPlugin {
    static final String NAME = "dpm_solver_pp";
    static final int ORDER = 3;

    @Override public String name() { return NAME; }

    @Override
    public String description() {
        return "DPM-Solver++(3M or 2M): multistep ODE solver in data prediction, one score evaluation per step (Lu et al. 2022)";
    }

    @Override
    public List<Param> parameters() {
        return List.of(
                Param.integer("order", ORDER, "1 (DDIM), 2 (2M) or 3 (3M, the authors' choice for unguided sampling)").min(1).max(3),
                Param.choice("skipType", "auto", "time grid: uniform in half-log-SNR, in t, or in sqrt(t); auto: logSNR on VE, time_quadratic on VP and sub-VP",
                        "auto", "time_uniform", "logSNR", "time_quadratic"),
                Param.bool("lowerOrderFinal", true, "lower the order of the last steps when there are fewer than 15 steps"));
    }

    /** One per step; with denoising the last step is the evaluation of D(x, eps) (see {@link TimeGrid}). */
    @Override public int scoreEvaluations(Params params, int steps) { return steps; }

    /** 20: the paper reports high-quality samples in 15 to 20 steps (Lu et al. 2022). */
    @Override public int defaultSteps() { return 20; }

    @Override public String unsupported(Sde sde, Params params) { return DenoiserView.unsupported(sde, NAME); }

    @Override
    public Solver create(Params params, SamplerContext context) {
        return new DpmSolverPlusPlus(context, DenoiserView.of(context, NAME),
                params.integer("order"), params.string("skipType"), params.bool("lowerOrderFinal"));
    }
}
