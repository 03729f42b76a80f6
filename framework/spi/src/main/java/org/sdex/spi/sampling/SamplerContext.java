package org.sdex.spi.sampling;

import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.sde.Sde;

/**
 * What predictors and correctors are built with: the SDE, the score to follow, the number of
 * discretisation steps N of the PC loop, and whether to follow the probability-flow ODE instead of
 * the reverse SDE.
 */
public record SamplerContext(Sde sde, ScoreFunction score, int steps, boolean probabilityFlow) {}
