package org.sdex.plugins.models.exact;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.model.ScoreFunction;
import org.sdex.spi.oracle.GaussianMixture;
import org.sdex.spi.sde.Sde;

/**
 * Score of the mixture's marginal at time t. The pushed mixture (Cholesky factors and all) is cached
 * for the last t, since samplers evaluate a whole batch — often several times — at one time.
 */
final class ExactScore implements ScoreFunction {
    private final GaussianMixture data;
    private final Sde sde;
    private double cachedT = Double.NaN;
    private GaussianMixture cached;

    ExactScore(GaussianMixture data, Sde sde) {
        this.data = data;
        this.sde = sde;
    }

    @Override
    public INDArray score(INDArray x, double t) { return at(t).score(x); }

    private synchronized GaussianMixture at(double t) {
        if (t != cachedT) {
            cached = data.at(sde, t);
            cachedT = t;
        }
        return cached;
    }
}
