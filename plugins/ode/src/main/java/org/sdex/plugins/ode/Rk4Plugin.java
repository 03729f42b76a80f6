package org.sdex.plugins.ode;

import org.sdex.spi.Params;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.OdeSolverPlugin;

/** {@code rk4}: the classic fourth-order Runge-Kutta method on a uniform grid (Kutta 1901; Hairer, Nørsett & Wanner 1993, Sec. II.1). */
public final class Rk4Plugin implements OdeSolverPlugin {
    @Override public String name() { return "rk4"; }

    @Override public String description() { return "classic Runge-Kutta, fixed steps, 4 evaluations per step (order 4)"; }

    @Override public OdeSolver create(Params params, int steps) { return new Rk4Solver(steps); }

    @Override public int evaluations(Params params, int steps) { return 4 * steps; }
}
