package org.sdex.spi.sampling;

import java.util.function.IntConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;

/**
 * A sampler that owns its whole trajectory and time grid (DPM-Solver++, EDM's Heun sampler, DDIM):
 * from a draw of the prior at T to a sample at time eps. Every solver has this signature. After each
 * step it passes its state through the context's {@link StepHook} (and its final noise-free estimate
 * through {@link StepHook#applyFinal}), so that guides that constrain the state reach it too.
 */
public interface Solver {
    /**
     * @param xT     a draw from the SDE's prior (not modified)
     * @param rng    noise for stochastic solvers; row i of the batch must only use row i's noise
     *               stream ({@link Rng#normal}) so that results do not depend on the batch size
     * @param onStep called with the number of finished steps (for progress), may be null
     */
    INDArray sample(INDArray xT, Rng rng, IntConsumer onStep);
}
