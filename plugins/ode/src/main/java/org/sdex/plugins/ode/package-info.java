/**
 * ODE solver plugins ({@link org.sdex.spi.sampling.OdeSolverPlugin}) for the probability-flow ODE
 * (Song et al. 2021, Sec. 4.3) and any other {@link org.sdex.spi.sampling.OdeFunction}:
 * {@code euler}, {@code heun} and {@code rk4} on a uniform grid of {@code steps} steps, and the
 * adaptive {@code rk45} (Dormand-Prince 5(4), as scipy's RK45 that the reference implementation uses).
 *
 * <p>Common to all: any shape and floating-point type, either direction ({@code t1 < t0} samples,
 * {@code t1 > t0} encodes); y0 is never written; the state and stage buffers are allocated once per
 * solve and updated in place (BLAS axpy where the arrays allow), so a step allocates nothing beyond
 * what F returns. The solvers never write what F returns but keep it until the step ends, so F must
 * return a new array (or one no later call overwrites); F may return its argument.
 */
package org.sdex.plugins.ode;
