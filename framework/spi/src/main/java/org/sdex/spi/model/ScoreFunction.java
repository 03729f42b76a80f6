package org.sdex.spi.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The score {@code ∇_x log p_t(x)} of the data pushed through an SDE, for a batch x (leading axis =
 * batch) at a time t shared by the batch. What every sampler, ODE and likelihood computation
 * consumes; trained networks and analytic oracles both end up as one. Returns a new array.
 */
@FunctionalInterface
public interface ScoreFunction {
    INDArray score(INDArray x, double t);
}
