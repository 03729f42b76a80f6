package org.sdex.plugins.models.exact;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sdex.spi.model.ConditionalScore;
import org.sdex.spi.model.DifferentiableScore;
import org.sdex.spi.sde.Sde;
import org.sdex.toolkit.oracle.GaussianMixture;
import org.sdex.toolkit.oracle.MixtureClassifier;

/**
 * Score of the mixture's marginal at time t, with its input-Jacobian in closed form (the Hessian of
 * the marginal's log-density, {@link GaussianMixture#scoreVjp}), so exact likelihoods can use it.
 * The pushed mixture (Cholesky factors and all) is cached for the last t, since samplers evaluate a
 * whole batch — often several times — at one time. Its class-conditional score (the classes are the
 * mixture's components) is that component's diffused Gaussian's score, for classifier-free guidance.
 */
final class ExactScore implements DifferentiableScore, ConditionalScore {
    private final GaussianMixture data;
    private final Sde sde;
    private double cachedT = Double.NaN;
    private GaussianMixture cached;
    private final MixtureClassifier components;

    ExactScore(GaussianMixture data, Sde sde) {
        this.data = data;
        this.sde = sde;
        this.components = new MixtureClassifier(data, sde);
    }

    @Override
    public INDArray score(INDArray x, double t, int[] labels) { return components.componentScore(x, t, labels); }

    @Override
    public int classes() { return data.components(); }

    @Override
    public INDArray score(INDArray x, double t) { return at(t).score(x); }

    @Override
    public INDArray vjp(INDArray x, double t, INDArray v) { return at(t).scoreVjp(x, v); }

    private synchronized GaussianMixture at(double t) {
        if (t != cachedT) {
            cached = data.at(sde, t);
            cachedT = t;
        }
        return cached;
    }
}
