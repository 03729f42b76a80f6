package org.sdex.spi.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A class-conditional score {@code ∇_x log p_t(x | y)} next to the unconditional one, what
 * classifier-free guidance needs (Ho and Salimans 2022). The exact model of a Gaussian mixture gives
 * the score of the chosen component's diffused Gaussian; a network gives it through a label embedding.
 */
public interface ConditionalScore extends ScoreFunction {
    /** The score of each row of x given its label ({@code labels[i]} for row i, in [0, classes())); a new array. */
    INDArray score(INDArray x, double t, int[] labels);

    /** Number of classes the score is conditioned on. */
    int classes();
}
