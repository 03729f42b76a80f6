package org.sdex.spi.sampling;

import org.sdex.spi.Params;
import org.sdex.spi.Plugin;
import org.sdex.spi.PluginKind;

/** Provides an ODE solver by name ({@code rk45}, {@code euler}, ...). */
public interface OdeSolverPlugin extends Plugin {
    OdeSolver create(Params params);

    @Override
    default PluginKind kind() { return PluginKind.ODE_SOLVER; }
}
