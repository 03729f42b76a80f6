package org.sdex.spi.model;

/** A model whose score is known in closed form (nothing to train), such as the exact mixture score. */
public non-sealed interface AnalyticModel extends Model {
    ScoreFunction score();
}
