package org.sdex.plugins.ode;

import org.sdex.spi.Params;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.OdeSolverPlugin;

/** {@code euler}: the explicit Euler method on a uniform grid, first order (Euler 1768; Hairer, Nørsett & Wanner 1993, Sec. I.7). */
public final class EulerPlugin implements OdeSolverPlugin {
    @Override public String name() { return "euler"; }

    @Override public String description() { return "explicit Euler, fixed steps, 1 evaluation per step (order 1)"; }

    @Override public OdeSolver create(Params params, int steps) { return new EulerSolver(steps); }

    @Override public int evaluations(Params params, int steps) { return steps; }
}
