package org.sdex.spi.guide;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A noise-conditional classifier {@code p_t(y | x_t)}, what classifier guidance needs (Song et al.
 * 2021, Sec. 5 and App. I; Dhariwal and Nichol 2021). For a Gaussian mixture the exact one is the
 * component responsibility under the mixture diffused to time t.
 */
public interface NoisyClassifier {
    /** Number of classes. */
    int classes();

    /** Unnormalised log-probabilities [B, classes] of each row of x at time t (log-softmax gives log p_t(y | x)). */
    INDArray logits(INDArray x, double t);

    /** {@code ∇_x log p_t(labels[i] | x_i)} for each row i, shaped like x. */
    INDArray gradLogProbability(INDArray x, double t, int[] labels);
}
