package org.sdex.spi.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The right-hand side dy/dt = F(t, y) of an ODE; must not modify y. */
@FunctionalInterface
public interface OdeFunction {
    INDArray derivative(double t, INDArray y);
}
