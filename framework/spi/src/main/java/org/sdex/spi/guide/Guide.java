package org.sdex.spi.guide;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.random.Rng;

/**
 * Controllable generation (Song et al. 2021, Sec. 5): steers an unconditional sampler towards
 * samples consistent with an observation y. A guide may change the score the sampler follows
 * (e.g. add {@code ∇_x log p_t(y | x)} for class-conditional sampling) and may constrain the state
 * after each step (e.g. for inpainting, put back the known pixels diffused to time t).
 */
public interface Guide {
    /** The score to follow instead of the unconditional one. */
    default ScoreFunction score(ScoreFunction unconditional) { return unconditional; }

    /** Applied to the state after every sampler update at time t; returns the constrained state. */
    default INDArray constrain(INDArray x, double t, Rng rng) { return x; }
}
