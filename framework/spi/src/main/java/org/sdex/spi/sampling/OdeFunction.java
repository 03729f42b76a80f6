package org.sdex.spi.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The right-hand side dy/dt = F(t, y) of an ODE. Must not modify y, and must return a new array
 * (or one no later call overwrites): solvers keep several stage results alive within a step.
 */
@FunctionalInterface
public interface OdeFunction {
    INDArray derivative(double t, INDArray y);
}
