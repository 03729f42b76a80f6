package org.sdex.spi.sampling;

import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sde.Sde;

/**
 * What every sampling way is built with — predictors, correctors and whole-trajectory solvers alike
 * (an ODE solver integrates the probability-flow drift the kernel builds from the same context):
 * the SDE, the score to follow (already guided when a guide is active), the number of steps N, the
 * final time eps, whether to end with the noise-free estimate, whether predictors follow the
 * probability-flow ODE, and the hook the kernel runs after every step (a guide's projection, or
 * {@link StepHook#NONE}). A predictor or corrector never calls the hook: the kernel's loop does. A
 * solver that owns its loop calls it after each of its steps.
 */
public record SamplerContext(Sde sde, ScoreFunction score, int steps, double eps, boolean denoise,
                             boolean probabilityFlow, StepHook hook) {
    public SamplerContext {
        if (hook == null) hook = StepHook.NONE;
    }
}
