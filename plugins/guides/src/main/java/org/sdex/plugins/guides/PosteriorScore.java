package org.sdex.plugins.guides;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.sde.Sde;
import org.sdex.spi.sde.Tweedie;

/**
 * What the reconstruction guides (DPS, ΠGDM) share: Tweedie's estimate {@code x̂0 = (x + sigma^2 s) / alpha}
 * and the pull-back of a vector through it, {@code (∂x̂0/∂x)ᵀ u = (u + sigma^2 (∂s/∂x)ᵀ u) / alpha}
 * (one input VJP of the score). The guided score is {@code s + weight(t) (∂x̂0/∂x)ᵀ u(x̂0)} with u
 * the method's measurement-space direction.
 */
final class PosteriorScore {
    private PosteriorScore() {}

    interface Direction {
        /** The data-space direction u for the estimates x̂0 (rows) at time t; null rows of zeros are fine. */
        INDArray at(INDArray x0, double t);
    }

    static INDArray guided(Sde sde, DifferentiableScore score, INDArray x, double t, double weight, Direction direction) {
        INDArray s = score.score(x, t);
        INDArray x0 = Tweedie.denoisei(sde, x, s.dup(), t);
        INDArray u = direction.at(x0, t).castTo(x.dataType());
        INDArray pulled = score.vjp(x, t, u).muli(Tweedie.scoreWeight(sde, t)).addi(u.divi(sde.meanScale(t)));
        return s.addi(pulled.muli(weight));
    }
}
