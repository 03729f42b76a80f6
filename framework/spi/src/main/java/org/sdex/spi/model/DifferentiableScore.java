package org.sdex.spi.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A score that also gives vector-Jacobian products with respect to its input, {@code v^T ∂s(x,t)/∂x}
 * row by row. Exact divergences of the probability-flow drift (likelihoods, Song et al. 2021 Sec.
 * 4.3) need one per data dimension; Hutchinson's estimator needs one per probe.
 */
public interface DifferentiableScore extends ScoreFunction {
    /** {@code v^T J_s(x)} for each row of x (same shape as x); does not modify x or v. */
    INDArray vjp(INDArray x, double t, INDArray v);
}
