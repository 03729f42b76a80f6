package org.sdex.spi.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;

/**
 * The corrector half of a predictor-corrector sampler (Song et al. 2021, Alg. 1): score-based MCMC
 * steps at a fixed time t that move x towards the marginal p_t.
 */
public interface Corrector {
    Step update(INDArray x, double t, Rng rng);
}
