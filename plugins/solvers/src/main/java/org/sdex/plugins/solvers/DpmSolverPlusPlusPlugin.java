package org.sdex.plugins.solvers;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.SolverContext;
import org.sdex.spi.sampling.SolverPlugin;
import org.sdex.spi.sde.Sde;

/** {@code dpm_solver_pp}: DPM-Solver++(2M), multistep data-prediction solver of the probability-flow ODE (Lu et al. 2022, arXiv 2211.01095, Alg. 2). */
public final class DpmSolverPlusPlusPlugin implements SolverPlugin {
    static final String NAME = "dpm_solver_pp";

    @Override public String name() { return NAME; }

    @Override
    public String description() {
        return "DPM-Solver++(2M): multistep ODE solver in data prediction, one score evaluation per step (Lu et al. 2022)";
    }

    @Override
    public List<Param> parameters() {
        return List.of(
                Param.integer("order", 2, "1 (first order, the same as DDIM) or 2 (the 2M multistep method)").min(1).max(2),
                Param.choice("skipType", "logSNR", "time grid: uniform in half-log-SNR, in t, or in sqrt(t)",
                        "time_uniform", "logSNR", "time_quadratic"),
                Param.bool("lowerOrderFinal", true, "take the last step at first order when there are fewer than 15 steps"));
    }

    /** One per step; with denoising the last step is the evaluation of D(x, eps) (see {@link TimeGrid}). */
    @Override public int scoreEvaluations(Params params, int steps) { return steps; }

    /** 20: the paper reports high-quality samples in 15 to 20 steps (Lu et al. 2022). */
    @Override public int defaultSteps() { return 20; }

    @Override public String unsupported(Sde sde, Params params) { return DenoiserView.unsupported(sde, NAME); }

    @Override
    public Solver create(Params params, SolverContext context) {
        return new DpmSolverPlusPlus(context, DenoiserView.of(context, NAME),
                params.integer("order"), params.string("skipType"), params.bool("lowerOrderFinal"));
    }
}
