package org.sdex.spi.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;

/**
 * The predictor half of a predictor-corrector sampler (Song et al. 2021, Alg. 1): one step of a
 * numerical solver of the reverse-time SDE from t to t + dt (dt &lt; 0). Every predictor has this
 * signature, so any of them runs in the same PC loop.
 */
public interface Predictor {
    Step update(INDArray x, double t, double dt, Rng rng);
}
