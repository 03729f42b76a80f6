package org.sdex.spi.sampling;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/** Provides an ODE solver by name ({@code rk45}, {@code euler}, {@code heun}, {@code rk4}, ...). */
public interface OdeSolverPlugin extends Plugin {
    /**
     * @param steps the number of steps a fixed-step solver takes over the whole interval (the
     *              {@code steps} setting of the block that uses it); adaptive solvers ignore it
     */
    OdeSolver create(Params params, int steps);

    /** True when the solver chooses its own steps (then {@code steps} means nothing to it). */
    default boolean adaptive() { return false; }

    /** Right-hand-side evaluations a fixed-step solver makes for {@code steps} steps; -1 when adaptive. */
    default int evaluations(Params params, int steps) { return adaptive() ? -1 : steps; }

    @Override
    default PluginKind kind() { return PluginKind.ODE_SOLVER; }
}
