package org.sdex.plugins.solvers;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.ParamException;
import org.sdex.spi.Params;
import org.sdex.spi.sampling.Solver;
import org.sdex.spi.sampling.SamplerContext;
import org.sdex.spi.sampling.SolverPlugin;
import org.sdex.spi.sde.Sde;

/** {@code edm_heun}: EDM's stochastic sampler with Heun's second-order correction, for any linear SDE via the scaled form (Karras et al. 2022, arXiv 2206.00364, Alg. 2). */
public final class EdmHeunPlugin implements SolverPlugin {
    static final String NAME = "edm_heun";

    @Override public String name() { return NAME; }

    @Override
    public String description() {
        return "EDM sampler: Heun steps on a rho-spaced noise grid with optional churn, 2 steps - 1 evaluations (Karras et al. 2022)";
    }

    @Override
    public List<Param> parameters() {
        return List.of(
                Param.real("sChurn", 0.0, "stochasticity: noise level raised by gamma = min(sChurn / steps, sqrt 2 - 1) (0: deterministic)").min(0),
                Param.real("sTmin", 0.0, "churn only where sigma/alpha >= sTmin").min(0),
                Param.real("sTmax", 1e9, "churn only where sigma/alpha <= sTmax (default: no upper limit)").min(0),
                Param.real("sNoise", 1.0, "std of the churn noise relative to the raised noise level").positive(),
                Param.real("rho", 7.0, "noise grid exponent: sigma_i^(1/rho) uniform (7 in EDM, larger is finer near eps)").positive());
    }

    /** Heun steps of 2 evaluations, the last step Euler: {@code 2 steps - 1}. */
    @Override public int scoreEvaluations(Params params, int steps) { return 2 * steps - 1; }

    /** 18 steps, 35 evaluations: the budget of EDM's CIFAR-10 results (Karras et al. 2022). */
    @Override public int defaultSteps() { return 18; }

    @Override public String unsupported(Sde sde, Params params) { return DenoiserView.unsupported(sde, NAME); }

    @Override
    public Solver create(Params params, SamplerContext context) {
        if (params.real("sTmin") > params.real("sTmax")) {
            throw new ParamException("sTmin", "solver '" + NAME + "' needs sTmin <= sTmax, got sTmin "
                    + params.real("sTmin") + " and sTmax " + params.real("sTmax"));
        }
        return new EdmHeun(context, DenoiserView.of(context, NAME), params.real("sChurn"), params.real("sTmin"),
                params.real("sTmax"), params.real("sNoise"), params.real("rho"));
    }
}
