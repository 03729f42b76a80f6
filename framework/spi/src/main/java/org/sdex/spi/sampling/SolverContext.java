package org.sdex.spi.sampling;

import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sde.Sde;

/**
 * What a {@link Solver} is built with: the SDE, the score, the number of steps, the final time eps
 * and whether the last step should return the denoised estimate.
 */
public record SolverContext(Sde sde, ScoreFunction score, int steps, double eps, boolean denoise) {}
