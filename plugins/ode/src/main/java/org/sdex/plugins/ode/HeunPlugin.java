package org.sdex.plugins.ode;

import org.sdex.spi.Params;
import org.sdex.spi.sampling.OdeSolver;
import org.sdex.spi.sampling.OdeSolverPlugin;

/** {@code heun}: Heun's method (explicit trapezoidal rule) on a uniform grid, second order (Heun 1900; Hairer, Nørsett & Wanner 1993, Sec. II.1). */
public final class HeunPlugin implements OdeSolverPlugin {
    @Override public String name() { return "heun"; }

    @Override public String description() { return "Heun (explicit trapezoid), fixed steps, 2 evaluations per step including the last (order 2)"; }

    @Override public OdeSolver create(Params params, int steps) { return new HeunSolver(steps); }

    @Override public int evaluations(Params params, int steps) { return 2 * steps; }
}
