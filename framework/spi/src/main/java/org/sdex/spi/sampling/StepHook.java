package org.sdex.spi.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.random.Rng;

/**
 * Runs after every step of every sampling way: where a guide constrains the state (score_sde's
 * inpainting and colorization put back the known part diffused to the step's end time). The PC
 * loop of the kernel calls it after each corrector and predictor update; a whole-trajectory solver
 * calls it after each of its own steps, and once more on its final noise-free estimate with t = 0.
 */
@FunctionalInterface
public interface StepHook {
    /** Changes nothing: sampling without a guide (the same arrays come back, so results keep their bits). */
    StepHook NONE = (step, t, rng) -> step;

    /**
     * @param step the new state and its noise-free mean
     * @param t    the time the new state stands at (0 for a final noise-free estimate)
     * @param rng  the batch's noise, row i from example i's stream
     * @return the constrained state and mean (may be {@code step} itself); arrays the caller may modify
     */
    Step afterStep(Step step, double t, Rng rng);

    /** The hook on a state without a separate mean (deterministic solvers): the constrained state. */
    default INDArray apply(INDArray x, double t, Rng rng) {
        return this == NONE ? x : afterStep(new Step(x, x), t, rng).x();
    }

    /** The hook on a final noise-free estimate (t = 0): the constrained mean. */
    default INDArray applyFinal(INDArray x, Rng rng) {
        return this == NONE ? x : afterStep(new Step(x, x), 0.0, rng).mean();
    }
}
