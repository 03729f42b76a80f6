package org.sdex.plugins.ode;

import java.util.List;
import org.sdex.spi.Param;
import org.sdex.spi.Params;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.OdeSolverPlugin;

/** {@code rk45}: adaptive Dormand-Prince 5(4) with FSAL, step control and initial step as scipy's RK45 (Dormand & Prince 1980; Hairer, Nørsett & Wanner 1993, Sec. II.4). */
public final class Rk45Plugin implements OdeSolverPlugin {
    static final List<Param> PARAMETERS = List.of(
            Param.real("rtol", 1e-5, "relative tolerance (raised to 100 machine epsilons if below, as scipy does)").positive(),
            Param.real("atol", 1e-5, "absolute tolerance").positive(),
            Param.real("firstStep", 0.0, "size of the first step attempted; 0 chooses it (Hairer's heuristic, one more evaluation)").min(0),
            Param.integer("maxSteps", 100_000, "steps attempted (accepted plus rejected) before giving up").min(1));

    @Override public String name() { return "rk45"; }

    @Override public String description() { return "adaptive Dormand-Prince 5(4) as scipy's RK45 (the reference's probability-flow sampler)"; }

    @Override public List<Param> parameters() { return PARAMETERS; }

    @Override public boolean adaptive() { return true; }

    @Override
    public OdeSolver create(Params params, int steps) {
        return new DormandPrinceSolver(params.real("rtol"), params.real("atol"), params.real("firstStep"), params.integer("maxSteps"));
    }
}
