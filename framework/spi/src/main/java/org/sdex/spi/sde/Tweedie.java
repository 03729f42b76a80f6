package org.sdex.spi.sde;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tweedie's formula on a linear SDE: with {@code x_t = alpha(t) x_0 + sigma(t) z}, the posterior mean
 * of the clean data is {@code E[x_0 | x_t = x] = (x + sigma(t)^2 s(x, t)) / alpha(t)}. The one place
 * the kernel's final denoising, the whole-trajectory solvers' data prediction and the guides
 * (DPS, ΠGDM) turn a score into a denoised estimate.
 */
public final class Tweedie {
    private Tweedie() {}

    /** E[x_0 | x_t = x] from the score value {@code score} at (x, t); overwrites and returns {@code score}. */
    public static INDArray denoisei(Sde sde, INDArray x, INDArray score, double t) {
        double sigma = sde.marginalStd(t);
        return score.muli(sigma * sigma).addi(x).divi(sde.meanScale(t));
    }

    /** d E[x_0 | x_t] / d s = sigma(t)^2 / alpha(t): how the estimate moves with the score (for VJPs through it). */
    public static double scoreWeight(Sde sde, double t) {
        double sigma = sde.marginalStd(t);
        return sigma * sigma / sde.meanScale(t);
    }
}
