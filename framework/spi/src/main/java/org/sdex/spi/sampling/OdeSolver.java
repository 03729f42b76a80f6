package org.sdex.spi.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Integrates an ODE from t0 to t1 (either direction) starting at y0, e.g. the probability-flow ODE. */
public interface OdeSolver {
    OdeSolution solve(OdeFunction f, INDArray y0, double t0, double t1);
}
