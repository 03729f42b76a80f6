package org.sdex.spi.sampling;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;
import org.sdex.spi.sde.Sde;

/** Provides a whole-trajectory solver by name ({@code dpm_solver_pp}, {@code edm_heun}, {@code ddim}). */
public interface SolverPlugin extends Plugin {
    Solver create(Params params, SamplerContext context);

    /** Score evaluations per sample for {@code steps} steps (exact; recorded as NFE). */
    int scoreEvaluations(Params params, int steps);

    /** Steps used when the sample block does not set {@code steps} (fast solvers need few). */
    default int defaultSteps() { return 20; }

    /**
     * Why this solver cannot run on the given SDE, or null when it can (checked before any compute,
     * e.g. a solver derived for VE or VP-type SDEs only).
     */
    default String unsupported(Sde sde, Params params) { return null; }

    @Override
    default PluginKind kind() { return PluginKind.SOLVER; }
}
